import type { Config } from '../config/index.js';
import { mediaHeaders } from './media.js';
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
  /** Its value when the front asks for a file's headers for the seeks it answers itself: not counted. */
  facts: 'facts',
} as const;

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
