import type { Config } from '../config/index.js';
import { mediaHeaders, servedType } from './media.js';
import { precomputedSecurityHeaders } from './security.js';

/**
 * The two internal locations of the nginx front (provisioning renders them over
 * `<dataDir>/media/`): `ranges` answers the request's one range (or the whole file, with
 * Accept-Ranges), `whole` the whole file whatever Range asked (max_ranges 0).
 */
export const MEDIA_FRONT = {
  ranges: '/_espace-media/ranges/',
  whole: '/_espace-media/whole/',
  /**
   * Set by the front on what it proxies: only those answers name the file for nginx. The kiosk
   * and `espace` ask the hub's own port, and get the bytes.
   */
  header: 'x-espace-front',
  /**
   * `<dataDir>/<public>/ab/<sha>.<ext>`: links to the files anyone may fetch, which the front
   * sends without asking the hub (media-public.ts); the extension gives nginx the type.
   */
  public: 'media-public',
  /** The syslog tag of the plays the front sends itself, reported to the hub's UDP port (media-plays.ts). */
  playTag: 'espace_play',
  /** `<dataDir>/<playsKey>`: the key of those plays, made by the hub, included by nginx (media-plays.ts). */
  playsKey: 'media-front-plays.conf',
} as const;

/**
 * The types a public link may have, by extension, most played first (nginx tries the names in
 * this order): only files a browser shows or plays itself (`Content-Disposition: inline`).
 */
export const MEDIA_LINK_TYPES: readonly (readonly [ext: string, type: string])[] = [
  ['mp4', 'video/mp4'],
  ['ogg', 'audio/ogg'],
  ['opus', 'audio/opus'],
  ['mp3', 'audio/mpeg'],
  ['jpg', 'image/jpeg'],
  ['png', 'image/png'],
  ['webp', 'image/webp'],
  ['webm', 'video/webm'],
  ['weba', 'audio/webm'],
  ['m4a', 'audio/mp4'],
  ['aac', 'audio/aac'],
  ['3gp', 'audio/3gpp'],
  ['amr', 'audio/amr'],
  ['wav', 'audio/wav'],
  ['flac', 'audio/flac'],
  ['ogv', 'video/ogg'],
  ['gif', 'image/gif'],
  ['avif', 'image/avif'],
  ['txt', servedType('text/plain').type],
];
const EXTENSION = new Map(MEDIA_LINK_TYPES.map(([ext, type]) => [type, ext]));

/**
 * The public link's name of a file (`ab/<sha>.<ext>`, under `<dataDir>/media-public`), or null
 * when the front must ask the hub for it: an empty file, a file downloaded rather than shown.
 */
export function publicLinkName(sha: string, facts: { mime: string; size: number }): string | null {
  const served = servedType(facts.mime);
  const ext = served.inline && facts.size > 0 ? EXTENSION.get(served.type) : undefined;
  return ext ? `${sha.slice(0, 2)}/${sha}.${ext}` : null;
}

/**
 * nginx keeps only a few of an X-Accel-Redirect answer's headers (Content-Type, Cache-Control,
 * Content-Disposition…): the front adds these back from the hub's answer
 * (`add_header Name $upstream_http_name`), so a file has the same headers through it as from
 * the hub alone. ETag and Accept-Ranges are set by the front's own rules.
 */
export function mediaFrontHeaderNames(config?: Pick<Config, 'hubId' | 'tls'>): string[] {
  const kept = new Set(['content-type', 'cache-control', 'content-disposition', 'accept-ranges', 'etag']);
  const all = { ...precomputedSecurityHeaders(config), ...mediaHeaders('0'.repeat(64), { mime: 'video/mp4' }) };
  return Object.keys(all).filter((name) => !kept.has(name.toLowerCase()));
}

/**
 * The headers of every public file the front sends itself, as the hub's answer has them (the
 * security headers, the file's own policy, immutable caching, `inline`): rendered into its
 * configuration. The type comes from the link's extension, the ETag from the address, Accept-Ranges
 * and the lengths from nginx.
 */
export function mediaFrontPublicHeaders(config?: Pick<Config, 'hubId' | 'tls'>): Record<string, string> {
  const all: Record<string, string> = { ...precomputedSecurityHeaders(config), ...mediaHeaders('0'.repeat(64), { mime: 'video/mp4' }) };
  const own = new Set(['content-type', 'accept-ranges', 'etag']);
  return Object.fromEntries(Object.entries(all).filter(([name]) => !own.has(name.toLowerCase())));
}

/**
 * The headers of a public file that the hub's own refusal of a range (416) carries too, with the
 * same value: the security headers a media answer keeps as they are. The front adds these to a
 * public file whatever happens and leaves them out of the hub's 416 it sends after nginx refused
 * a range; the others it adds only when the range fits (provisioning's nginx.ts).
 */
export function mediaFrontSharedHeaders(config?: Pick<Config, 'hubId' | 'tls'>): string[] {
  const security = precomputedSecurityHeaders(config);
  return Object.entries(mediaFrontPublicHeaders(config))
    .filter(([name, value]) => security[name] === value)
    .map(([name]) => name);
}
