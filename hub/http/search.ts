import { Router } from 'express';
import type { HubDeps } from '../deps.js';
import { parseQuery, SearchQuery } from './query.js';
import type { HttpShared } from './shared.js';

/** GET /api/v1/search?q=Q&type=T&lang=L — across all content; the same prepared answer as the fast path's. */
export function searchRouter(deps: HubDeps, { searches, send }: HttpShared): Router {
  const router = Router();
  router.get('/api/v1/search', async function search(req, res) {
    const q = parseQuery(SearchQuery, req.query);
    await deps.search.whenReady();
    const items = deps.search.search(q.q, { type: q.type, lang: q.lang, limit: q.limit });
    send(req, res, searches.answer(items, q.q));
  });
  return router;
}
