import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import { CONTENT_TYPES, LANGUAGES, type ContentType, type Language } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { pageFastPath } from '../portal/index.js';
import { itemKey, listKey } from './content.js';
import type { JsonCache } from './json-cache.js';
import { MediaFiles } from './media-files.js';
import { mediaHeaders } from './media.js';
import type { MediaInfo } from './media-info.js';
import { precomputedSecurityHeaders } from './security.js';

const TYPES = new Set<string>(CONTENT_TYPES);
const LANGS = new Set<string>(LANGUAGES);
const MEDIA = /^\/media\/([0-9a-f]{64})$/;
const DIGITS = /^\d{1,7}$/;

/**
 * The hub's hot, cacheable GETs answered on raw node:http before Express (which costs most
 * of a request on a Pi's slow core): content already serialised for this generation, media
 * files, searches once the index is built, and portal pages already rendered. Anything unusual — an uncached answer, a bad parameter, a multi-range — is
 * left to Express (returns false), which answers it with the same headers.
 */
export function createFastPath(
  deps: HubDeps,
  cache: JsonCache,
  info: MediaInfo,
  files = new MediaFiles()
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const security = precomputedSecurityHeaders(deps.config);
  // Portal pages already rendered for this content (the portal decides what may be shared).
  const pages = pageFastPath(deps, security);

  function sendJson(req: IncomingMessage, res: ServerResponse, hit: { body: string; etag: string }): true {
    const headers = { ...security, ETag: hit.etag, 'Cache-Control': 'no-cache', 'Content-Type': 'application/json; charset=utf-8' };
    if (req.headers['if-none-match'] === hit.etag) {
      res.writeHead(304, headers).end();
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(hit.body) });
      res.end(req.method === 'HEAD' ? undefined : hit.body);
    }
    return true;
  }

  function content(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean {
    let key: string;
    const lang = query.get('lang') ?? undefined;
    if (lang !== undefined && !LANGS.has(lang)) return false;
    if (path === '/api/v1/content') {
      for (const k of query.keys()) if (k !== 'type' && k !== 'lang' && k !== 'limit' && k !== 'skip') return false;
      const type = query.get('type');
      const limit = query.get('limit') ?? '100';
      const skip = query.get('skip') ?? '0';
      if (!type || !TYPES.has(type) || !DIGITS.test(limit) || !DIGITS.test(skip)) return false;
      const l = Number(limit);
      if (l < 1 || l > 500) return false;
      key = listKey(type, lang, l, Number(skip));
    } else {
      for (const k of query.keys()) if (k !== 'lang') return false;
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/api/v1/content/'.length));
      } catch {
        return false;
      }
      key = itemKey(id, lang);
    }
    const hit = cache.peek(key, deps.catalog.generation);
    return hit ? sendJson(req, res, hit) : false;
  }

  function media(req: IncomingMessage, res: ServerResponse, sha: string): boolean {
    const facts = info.peek(sha);
    if (!facts) return false;
    const headers: Record<string, string | number> = { ...security, ...mediaHeaders(sha, facts), 'Accept-Ranges': 'bytes' };
    const inm = req.headers['if-none-match'];
    if (inm === `"${sha}"` || inm === `W/"${sha}"`) {
      res.writeHead(304, headers).end();
      return true;
    }
    let start = 0;
    let end = facts.size - 1;
    let status = 200;
    const rangeHeader = req.headers.range;
    const ifRange = req.headers['if-range'];
    if (rangeHeader && (!ifRange || ifRange === `"${sha}"`)) {
      const ranges = parseRange(facts.size, rangeHeader, { combine: true });
      if (!Array.isArray(ranges) || ranges.type !== 'bytes' || ranges.length !== 1) return false;
      start = ranges[0]!.start;
      end = ranges[0]!.end;
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${facts.size}`;
    }
    headers['Content-Length'] = end - start + 1;
    if (req.method === 'HEAD' || facts.size === 0) {
      res.writeHead(status, headers).end();
      return true;
    }
    files.send(res, deps.media.pathOf(sha), status, headers, start, end);
    return true;
  }

  const serialised = new WeakMap<object, Map<string, Buffer>>();

  /** Same answer as the search router, for well-formed queries once the index is built. */
  function search(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): boolean {
    if (!deps.search.isReady) return false;
    for (const k of query.keys()) if (k !== 'q' && k !== 'type' && k !== 'lang' && k !== 'limit') return false;
    const q = query.get('q')?.trim();
    const type = query.get('type') ?? undefined;
    const lang = query.get('lang') ?? 'fr';
    const limit = query.get('limit') ?? '20';
    if (!q || q.length > 200 || (type !== undefined && !TYPES.has(type)) || !LANGS.has(lang) || !DIGITS.test(limit)) return false;
    const l = Number(limit);
    if (l < 1 || l > 100) return false;
    const items = deps.search.search(q, { type: type as ContentType | undefined, lang: lang as Language, limit: l });
    // A repeated search returns the same hits array until the index changes: its answer is
    // serialised once per spelling of the query, not per request.
    let bodies = serialised.get(items);
    if (!bodies) serialised.set(items, (bodies = new Map()));
    let body = bodies.get(q);
    if (!body) {
      if (bodies.size >= 8) bodies.clear();
      bodies.set(q, (body = Buffer.from(JSON.stringify({ items, query: q }))));
    }
    res.writeHead(200, { ...security, 'Cache-Control': 'no-cache', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  return function fastPath(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.startsWith('/media/')) {
      const m = MEDIA.exec(path);
      return m && q === -1 ? media(req, res, m[1]!) : false;
    }
    if (path === '/api/v1/content' || path.startsWith('/api/v1/content/')) {
      return content(req, res, path, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    }
    if (path === '/api/v1/search') return search(req, res, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    return pages(req, res);
  };
}
