import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubDeps } from '../deps.js';
import type { SendPrepared } from '../http/index.js';
import { portalAssets } from './assets.js';
import { pageRequest } from './page-rules.js';
import { countView, visitCookie } from './visits.js';

/**
 * Portal pages answered on raw node:http from the page cache: sent by the same function as
 * the Express path (`send`, with the fast path's security headers), the same cookie, and the
 * page view still counted. A miss, a personal request or an unknown host is left to Express
 * (returns false), which renders the page and fills the cache. The static files and the
 * service worker too (any Host may have them, as the captive router says): a phone's first
 * page asks for four of them, and Express's routing was most of their cost.
 */
export function pageFastPath(deps: HubDeps, send: SendPrepared): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cache = deps.pages;
  const assets = portalAssets();
  return function cachedPage(req, res) {
    const url = req.url ?? '/';
    if (url.startsWith('/static/') || url === '/sw.js') {
      const a = assets.answer(url, deps.log);
      if (!a) return false;
      send(req, res, a);
      return true;
    }
    if (req.method !== 'GET') return false;
    const request = pageRequest(url, req.headers.cookie);
    if (!request) return false;
    const now = Date.now();
    const page = cache.get(request, req.headers.host, now);
    if (!page) return false;
    countView(deps.usage, request.section, request.visiting);
    cache.hits += 1;
    send(req, res, page, ['Set-Cookie', visitCookie(now)]);
    return true;
  };
}
