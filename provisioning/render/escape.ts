import { createHash } from 'node:crypto';

/** A UUID derived from its inputs, so rendering the same profile twice writes the same keyfile. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest('hex');
  // Shaped as a version-5-like UUID (RFC 4122 variant) so NetworkManager accepts it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A value for a GKeyFile (NetworkManager keyfile): backslash escapes as GLib reads them. */
export function keyfileValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/^ /, '\\s');
}

/** A value for systemd's EnvironmentFile: double-quoted, with `\` and `"` escaped. */
export function envFileValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function xmlText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The header every rendered file starts with, in the file's comment syntax. */
export function header(comment: string, what: string): string {
  return `${comment} Written by "espace provision" — ${what}.\n${comment} Edit the space profile and render again rather than this file.\n`;
}
