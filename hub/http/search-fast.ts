import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, LANGUAGES, type ContentType, type Language } from '../../content/boot.js';
import type { SearchIndex } from '../search/index.js';
import type { SendPrepared } from './answer.js';
import { QUERY_LIMITS as LIMITS } from './query-limits.js';
import type { SearchAnswers } from './search-answers.js';

const TYPES = new Set<string>(CONTENT_TYPES);
const LANGS = new Set<string>(LANGUAGES);
const DIGITS = /^\d{1,7}$/;
const SEARCH_DEFAULT = String(LIMITS.search.default);

/**
 * `GET /api/v1/search` on raw node:http: the same answer as the search router, for
 * well-formed queries once the index is ready; false (left to Express) otherwise. Used by the
 * fast path, and by main before the rest of the hub has loaded (boot.ts): it needs only the
 * index, so the first search is answered as soon as the snapshot is restored.
 */
export function searchFastPath(
  search: Pick<SearchIndex, 'isReady' | 'search'>,
  send: SendPrepared,
  searches: SearchAnswers
): (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => boolean {
  return function fastSearch(req, res, query) {
    if (!search.isReady) return false;
    for (const k of query.keys()) if (k !== 'q' && k !== 'type' && k !== 'lang' && k !== 'limit') return false;
    const q = query.get('q')?.trim();
    const type = query.get('type') ?? undefined;
    const lang = query.get('lang') ?? 'fr';
    const limit = query.get('limit') ?? SEARCH_DEFAULT;
    if (!q || q.length > LIMITS.queryChars || (type !== undefined && !TYPES.has(type)) || !LANGS.has(lang) || !DIGITS.test(limit)) return false;
    const l = Number(limit);
    if (l < 1 || l > LIMITS.search.max) return false;
    const items = search.search(q, { type: type as ContentType | undefined, lang: lang as Language, limit: l });
    send(req, res, searches.answer(items, q));
    return true;
  };
}
