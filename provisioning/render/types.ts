/**
 * What must happen on the Pi when a rendered file changes. `apply` turns these into commands;
 * a file that did not change triggers nothing.
 */
export type Action =
  | { kind: 'restart'; unit: string }
  | { kind: 'daemon-reload' }
  | { kind: 'nm-up'; connection: string }
  | { kind: 'sysusers' }
  | { kind: 'tmpfiles' }
  | { kind: 'sysctl' }
  | { kind: 'hostname' }
  | { kind: 'wifi-country'; country: string };

export interface RenderedFile {
  /** Absolute path on the Pi, e.g. `/etc/dnsmasq.d/espace.conf`. */
  path: string;
  content: string;
  /** File mode; secrets are 0o600. */
  mode: number;
  /** Owner on the Pi (apply chowns; a render into a directory keeps the caller's owner). */
  owner?: 'root' | 'espace' | 'kiosk';
  /** What to do when this file changed. */
  onChange: Action[];
}

export interface Rendered {
  files: RenderedFile[];
  /** Units to enable (apply enables them every time; enabling twice is harmless). */
  enable: string[];
  /** Units to keep off, because another part does their job (e.g. NetworkManager's AP vs hostapd). */
  disable: string[];
}

export const restart = (unit: string): Action => ({ kind: 'restart', unit });
