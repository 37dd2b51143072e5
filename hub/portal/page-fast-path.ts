import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubDeps } from '../deps.js';
import type { CachedPage, Coding } from './page-cache.js';
import { pageRequest } from './page-rules.js';
import { countView, visitCookie } from './visits.js';

/** compression() leaves smaller bodies as they are. */
const COMPRESS_FROM = 512;

/**
 * The coding the portal's compression() middleware would choose (brotli, then gzip, among
 * equals), for the plain lists browsers send; undefined — Express decides — when the list
 * weighs codings with q-values or only deflate is acceptable.
 */
export function codingFor(acceptEncoding: string | undefined, length: number): Coding | undefined {
  if (!acceptEncoding || length < COMPRESS_FROM) return 'identity';
  if (acceptEncoding.includes(';')) return undefined;
  const codings = acceptEncoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim());
  if (codings.includes('br') || codings.includes('*')) return 'br';
  if (codings.includes('gzip')) return 'gzip';
  return codings.includes('deflate') ? undefined : 'identity';
}

/**
 * Portal pages answered on raw node:http from the page cache: the same bytes, headers and
 * cookie as the Express path, and the page view still counted. A miss, a personal request,
 * an unknown host or an unusual revalidation is left to Express (returns false), which
 * renders the page and fills the cache.
 */
export function pageFastPath(deps: HubDeps, securityHeaders: Record<string, string>): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cache = deps.pages;
  const fixed = Object.entries({ ...securityHeaders, 'Cache-Control': 'no-cache', Vary: 'Cookie, Accept-Encoding' }).flat();
  // Each page's headers as the flat list writeHead takes, made once per coding (building a
  // header object per request was a tenth of the hub's time on a cached page).
  const lists = new WeakMap<CachedPage, Partial<Record<Coding | 'revalidated', (string | number)[]>>>();

  function headersOf(page: CachedPage, answer: Coding | 'revalidated', body?: Buffer): (string | number)[] {
    let made = lists.get(page);
    if (!made) lists.set(page, (made = {}));
    let list = made[answer];
    if (!list) {
      list = [...fixed, 'ETag', page.etag];
      if (body) list.push('Content-Type', 'text/html; charset=utf-8', 'Content-Length', body.length);
      if (answer === 'gzip' || answer === 'br') list.push('Content-Encoding', answer);
      made[answer] = list;
    }
    return list;
  }

  return function cachedPage(req, res) {
    if (req.method !== 'GET') return false;
    const request = pageRequest(req.url ?? '/', req.headers.cookie);
    if (!request) return false;
    const now = Date.now();
    const page = cache.get(request, req.headers.host, now);
    if (!page) return false;
    const coding = codingFor(req.headers['accept-encoding'], page.body.length);
    if (!coding) return false;
    const inm = req.headers['if-none-match'];
    // Only the plain revalidation of this very page; lists, weak tags and no-cache go to Express.
    if (inm !== undefined && (inm !== page.etag || /no-cache/i.test(req.headers['cache-control'] ?? ''))) return false;
    countView(deps.usage, request.section, request.visiting);
    cache.hits += 1;
    if (inm !== undefined) {
      res.writeHead(304, [...headersOf(page, 'revalidated'), 'Set-Cookie', visitCookie(now)]).end();
      return true;
    }
    const body = cache.encoded(page, coding);
    res.writeHead(200, [...headersOf(page, coding, body), 'Set-Cookie', visitCookie(now)]).end(body);
    return true;
  };
}
