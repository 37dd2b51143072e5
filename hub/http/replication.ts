import express, { Router, type Request } from 'express';
import { AppError, isNotFound, mayBeRestricted } from '../../content/index.js';
import type { HubDeps } from '../deps.js';

const ONE = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** CouchDB clients (PouchDB's replicator) read `error` and `reason`; our envelope adds them. */
function forbidden(): AppError {
  return new AppError(403, 'read-only', 'the hub\'s /db endpoint is read-only: it lets a browser copy the content; write through /api/v1/submissions');
}

function changesOptions(req: Request): PouchDB.Core.ChangesOptions {
  const q = req.query;
  const num = (v: unknown, max: number) => {
    const n = Number(ONE(v));
    return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : undefined;
  };
  const since = ONE(q.since);
  return {
    since: since === undefined || since === 'now' ? (since as 'now' | undefined) ?? 0 : /^\d+$/.test(String(since)) ? Number(since) : 0,
    limit: num(q.limit, 1000) ?? 1000,
    style: ONE(q.style) === 'all_docs' ? 'all_docs' : 'main_only',
    include_docs: ONE(q.include_docs) === 'true',
    descending: ONE(q.descending) === 'true',
  } as PouchDB.Core.ChangesOptions;
}

/**
 * A read-only CouchDB replication source for `content` at /db/content, so a phone's
 * PouchDB can take the content home. Only what a replication *from* here needs is
 * answered; every write is refused with 403, and `_local` docs (checkpoints, import
 * journals) are never exposed.
 */
export function replicationRouter(deps: HubDeps): Router {
  const router = Router();
  const db = deps.dbs.content;
  const json = express.json({ limit: 256 * 1024 });

  router.get('/db', function root(_req, res) {
    res.json({ couchdb: 'Welcome', vendor: { name: 'espace-connecte' }, version: '3.3.0' });
  });

  router.get('/db/content', async function info(_req, res) {
    const i = await db.info();
    res.set('Cache-Control', 'no-store').json({ db_name: 'content', doc_count: i.doc_count, update_seq: i.update_seq, instance_start_time: '0' });
  });

  router.get('/db/content/_changes', async function changes(req, res) {
    const opts = changesOptions(req);
    const result = await db.changes(opts);
    // Mentoring threads and suspensions never go to a phone's copy (some are private: none are listed).
    const results = result.results.filter((r) => !r.id.startsWith('_') && !mayBeRestricted(r.id));
    res.set('Cache-Control', 'no-store').json({ results, last_seq: result.last_seq });
  });

  router.post('/db/content/_bulk_get', json, async function bulkGet(req, res) {
    const docs = (req.body as { docs?: unknown })?.docs;
    const wellFormed = (d: unknown) => {
      const { id, rev } = (d ?? {}) as { id?: unknown; rev?: unknown };
      return typeof id === 'string' && id.length <= 200 && !id.startsWith('_') && !mayBeRestricted(id) && (rev === undefined || (typeof rev === 'string' && /^\d+-[0-9a-f]{1,64}$/.test(rev)));
    };
    if (!Array.isArray(docs) || docs.length > 1000 || !docs.every(wellFormed)) {
      throw new AppError(400, 'bad-bulk-get', 'send { "docs": [{ "id": "…", "rev": "…" }] } with at most 1000 entries');
    }
    const result = await db.bulkGet({ docs: docs as { id: string; rev?: string }[], revs: ONE(req.query.revs) === 'true', latest: true } as PouchDB.Core.BulkGetOptions);
    res.set('Cache-Control', 'no-store').json(result);
  });

  router.post('/db/content/_revs_diff', json, async function revsDiff(req, res) {
    const body = req.body as Record<string, unknown>;
    const valid =
      body && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length <= 1000 &&
      Object.values(body).every((revs) => Array.isArray(revs) && revs.length <= 1000 && revs.every((r) => typeof r === 'string' && /^\d+-[0-9a-f]{1,64}$/.test(r)));
    if (!valid) throw new AppError(400, 'bad-revs-diff', 'send { "<doc id>": ["<rev>", …] } with revisions like "1-abc123", 1000 docs at most');
    res.json(await db.revsDiff(body as PouchDB.Core.RevisionDiffOptions));
  });

  router.get('/db/content/_local/:id', function noLocal() {
    throw new AppError(404, 'not-found', 'no checkpoint is kept here');
  });

  router.get('/db/content/:id', async function getDoc(req, res) {
    const id = req.params.id;
    if (id.startsWith('_') || mayBeRestricted(id)) throw new AppError(404, 'not-found', `nothing at /db/content/${id.slice(0, 60)}`);
    const q = req.query;
    const openRevs = ONE(q.open_revs);
    const opts: Record<string, unknown> = { revs: ONE(q.revs) === 'true', latest: true };
    if (openRevs !== undefined) {
      try {
        opts.open_revs = openRevs === 'all' ? 'all' : JSON.parse(String(openRevs));
      } catch {
        throw new AppError(400, 'bad-open-revs', 'open_revs must be "all" or a JSON list of revisions');
      }
    }
    try {
      res.set('Cache-Control', 'no-store').json(await db.get(id, opts as PouchDB.Core.GetOptions));
    } catch (e) {
      if (isNotFound(e)) throw new AppError(404, 'not-found', `no document ${id.slice(0, 80)} in content`);
      throw e;
    }
  });

  // Everything else under /db is a write (or an admin call): refused.
  router.all(/^\/db(\/.*)?$/, function refuse(req, _res, next) {
    if (req.method === 'GET' || req.method === 'HEAD') return next(new AppError(404, 'not-found', 'only the content database is served here, read-only'));
    next(forbidden());
  });
  return router;
}
