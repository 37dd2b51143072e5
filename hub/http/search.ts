import { Router } from 'express';
import type { HubDeps } from '../deps.js';
import { parseQuery, SearchQuery } from './query.js';

/** GET /api/v1/search?q=Q&type=T&lang=L — across all content. */
export function searchRouter(deps: HubDeps): Router {
  const router = Router();
  router.get('/api/v1/search', async function search(req, res) {
    const q = parseQuery(SearchQuery, req.query);
    await deps.search.whenReady();
    const items = deps.search.search(q.q, { type: q.type, lang: q.lang, limit: q.limit });
    res.set('Cache-Control', 'no-cache').json({ items, query: q.q });
  });
  return router;
}
