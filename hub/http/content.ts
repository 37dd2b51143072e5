import { Router } from 'express';
import { AppError, isRestrictedContent } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { localize } from '../catalog/index.js';
import { ItemQuery, ListQuery, parseQuery } from './query.js';
import type { HttpShared } from './shared.js';

/** Cache keys, shared with the raw fast path so both find the same answers. */
export const listKey = (type: string, lang: string | undefined, limit: number, skip: number) => `list:${type}:${lang ?? ''}:${limit}:${skip}`;
export const itemKey = (id: string, lang: string | undefined) => `item:${id}:${lang ?? ''}`;

/** GET /api/v1/content?type=T&lang=L and GET /api/v1/content/:id — public content, cached by generation. */
export function contentRouter(deps: HubDeps, { cache, send }: HttpShared): Router {
  const router = Router();
  const { catalog } = deps;

  router.get('/api/v1/content', async function listContent(req, res) {
    const q = parseQuery(ListQuery, req.query);
    const answer = await cache.get(catalog.generation, listKey(q.type, q.lang, q.limit, q.skip), async () => {
      const { items, total } = await catalog.list(q.type, { limit: q.limit, skip: q.skip });
      return { items: q.lang ? items.map((d) => localize(d, q.lang!)) : items, total, limit: q.limit, skip: q.skip };
    });
    send(req, res, answer);
  });

  router.get('/api/v1/content/:id', async function getContent(req, res) {
    const q = parseQuery(ItemQuery, req.query);
    const id = req.params.id;
    const answer = await cache.get(catalog.generation, itemKey(id, q.lang), async () => {
      const doc = await catalog.get(id);
      // Private mentoring threads and suspensions are read through the community pages, by those they concern.
      if (isRestrictedContent(doc)) throw new AppError(404, 'content-not-found', `no content ${id.slice(0, 80)} on this hub`);
      return q.lang ? localize(doc, q.lang) : doc;
    });
    send(req, res, answer);
  });

  return router;
}
