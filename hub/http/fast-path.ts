import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, LANGUAGES } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { pageFastPath } from '../portal/index.js';
import { itemKey, listKey } from './content.js';
import { answerSender } from './answer.js';
import { mediaSender } from './media-answer.js';
import { QUERY_LIMITS as LIMITS } from './query-limits.js';
import { searchFastPath } from './search-fast.js';
import { precomputedSecurityHeaders } from './security.js';
import { submissionFastPath } from './submissions.js';
import { MEDIA_SECTION, unreadableMedia, type HttpShared } from './shared.js';

const TYPES = new Set<string>(CONTENT_TYPES);
const LANGS = new Set<string>(LANGUAGES);
const MEDIA = /^\/media\/([0-9a-f]{64})$/;
const DIGITS = /^\d{1,7}$/;
const LIST_DEFAULT = String(LIMITS.list.default);

/**
 * The hub's hot, cacheable GETs answered on raw node:http before Express (which costs most
 * of a request on a Pi's slow core): content already serialised for this generation, media
 * files, searches once the index is built, and portal pages already rendered. Anything
 * unusual — an uncached answer, a bad parameter, a multi-range — is left to Express (returns
 * false). Both send the same prepared answers with the same function (answer.ts), so they give
 * the same status, headers and body (tests/integration/http/parity.test.ts). Submissions
 * (POST /api/v1/submissions/<type>) are here too: Express's routing, parser and res.json were
 * most of a registration's time.
 */
export function createFastPath(deps: HubDeps, shared: HttpShared): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { cache, info, searches, codings } = shared;
  const security = precomputedSecurityHeaders(deps.config);
  // Express's security middleware is not on this path: the sender adds them to every answer.
  const send = answerSender(security, codings);
  // The same media answers as Express's route, with the security headers first.
  const publicMedia = shared.publicMedia;
  const sendMedia = mediaSender({
    fixed: security,
    files: shared.files,
    pathOf: (sha) => deps.media.pathOf(sha),
    onError: unreadableMedia(deps.log, security, shared.errorPage),
    errorPage: shared.errorPage,
    front: deps.config.mediaFront,
    onServe: () => deps.usage.pageView(MEDIA_SECTION),
    publish: publicMedia && ((sha, facts) => publicMedia.offer(sha, facts)),
  });
  // Portal pages already rendered for this content (the portal decides what may be shared).
  const pages = pageFastPath(deps, send);
  // Submissions: the same checks, counter and envelope as Express's route, the 201 once on disk.
  const submissions = submissionFastPath(deps, shared.phoneLimit, security);

  function content(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean {
    let key: string;
    const lang = query.get('lang') ?? undefined;
    if (lang !== undefined && !LANGS.has(lang)) return false;
    if (path === '/api/v1/content') {
      for (const k of query.keys()) if (k !== 'type' && k !== 'lang' && k !== 'limit' && k !== 'skip') return false;
      const type = query.get('type');
      const limit = query.get('limit') ?? LIST_DEFAULT;
      const skip = query.get('skip') ?? '0';
      if (!type || !TYPES.has(type) || !DIGITS.test(limit) || !DIGITS.test(skip)) return false;
      const l = Number(limit);
      if (l < 1 || l > LIMITS.list.max || Number(skip) > LIMITS.skipMax) return false;
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
    if (!hit) return false;
    send(req, res, hit);
    return true;
  }

  function mediaFile(req: IncomingMessage, res: ServerResponse, sha: string): boolean {
    const facts = info.peek(sha);
    if (!facts) return false;
    sendMedia(req, res, sha, facts);
    return true;
  }

  // Same answer as the search router, for well-formed queries once the index is built.
  const search = searchFastPath(deps.search, send, searches);

  return function fastPath(req, res) {
    if (req.method === 'POST') return submissions(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path.startsWith('/media/')) {
      const m = MEDIA.exec(path);
      return m && q === -1 ? mediaFile(req, res, m[1]!) : false;
    }
    if (path === '/api/v1/content' || path.startsWith('/api/v1/content/')) {
      return content(req, res, path, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    }
    if (path === '/api/v1/search') return search(req, res, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    return pages(req, res);
  };
}
