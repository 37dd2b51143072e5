/**
 * Where the kiosk may go. Every URL is parsed with `new URL` and its origin compared
 * exactly: a prefix test would let `http://hub.example.attacker` or `http://hub.example@evil`
 * through.
 */

/** The scheme and host of the kiosk's own bundled pages (offline, blank, technician). */
export const KIOSK_SCHEME = 'espace-kiosk';
export const KIOSK_HOST = 'app';
export const KIOSK_BASE = `${KIOSK_SCHEME}://${KIOSK_HOST}/`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The hub's origin (`http://host:port`) from its configured address; throws on a non-http(s) address. */
export function hubOrigin(hubUrl: string): string {
  const u = parse(hubUrl);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password) {
    throw new Error(`kiosk.hubUrl must be a plain http(s) address like http://127.0.0.1:8080, not "${hubUrl}"`);
  }
  return u.origin;
}

/** True when `url` is on exactly the hub's origin (same scheme, host and port), without credentials. */
export function isHubUrl(url: string, origin: string): boolean {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return false;
  // A URL carrying credentials is refused even on the right host: it is never a link the hub makes.
  if (u.username || u.password) return false;
  return u.origin === origin;
}

/**
 * True for the kiosk's bundled pages. Custom schemes have an opaque origin in the URL
 * standard, so scheme and host are compared instead.
 */
export function isKioskPageUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === `${KIOSK_SCHEME}:` && u.host === KIOSK_HOST && !u.username && !u.password;
}

/** Where a page may navigate or be redirected: the hub's origin only (the kiosk's own pages are opened by the main process, never by a link). */
export function isAllowedNavigation(url: string, origin: string): boolean {
  return isHubUrl(url, origin);
}

/**
 * Which requests a page may make at all: the hub (HTTP, and WebSocket to the same host and
 * port), the kiosk's own pages, and in-page data/blob URLs. Nothing else: the kiosk never
 * loads from the Internet, even when the Pi has an uplink.
 */
export function isAllowedRequest(url: string, origin: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
  if (u.protocol === 'ws:' || u.protocol === 'wss:') {
    const o = new URL(origin);
    return !u.username && !u.password && u.host === o.host && u.protocol === (o.protocol === 'https:' ? 'wss:' : 'ws:');
  }
  return isHubUrl(url, origin) || isKioskPageUrl(url);
}
