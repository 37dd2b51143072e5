import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubDeps } from '../deps.js';
import type { SendPrepared } from '../http/index.js';
import { pageRequest } from './page-rules.js';
import { countView, visitCookie } from './visits.js';

/**
 * Portal pages answered on raw node:http from the page cache: sent by the same function as
 * the Express path (`send`, with the fast path's security headers), the same cookie, and the
 * page view still counted. A miss, a personal request or an unknown host is left to Express
 * (returns false), which renders the page and fills the cache.
 */
export function pageFastPath(deps: HubDeps, send: SendPrepared): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cache = deps.pages;
  return function cachedPage(req, res) {
    if (req.method !== 'GET') return false;
    const request = pageRequest(req.url ?? '/', req.headers.cookie);
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
