import { join } from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { AppError, isNotFound, mayBeRestricted } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { CheckpointStore, CHECKPOINT_LIMITS, type CheckpointLimits } from './checkpoints.js';
import { couchQuery, REV } from './couch-query.js';

/**
 * What a phone's copy may hold: no `_design`/`_local` doc, and no mentoring thread or
 * suspension (some are private to one member: none are listed, served or fetched here).
 */
const replicable = (id: string) => !id.startsWith('_') && !mayBeRestricted(id);

/** A `_bulk_get` body as a replicating phone sends it: at most 1000 entries of replicable ids (other fields, `atts_since`, kept). */
const BulkGetBody = z.object({
  docs: z
    .array(
      z.looseObject({
        id: z.string().max(200).refine(replicable),
        rev: z.string().regex(REV).optional(),
      })
    )
    .max(1000),
});

/** A `_revs_diff` body: doc id → revisions, 1000 docs and 1000 revisions each at most. */
const RevsDiffBody = z.record(z.string(), z.array(z.string().regex(REV)).max(1000)).refine((b) => Object.keys(b).length <= 1000);

/** CouchDB clients (PouchDB's replicator) read `error` and `reason`; our envelope adds them. */
function forbidden(): AppError {
  return new AppError(403, 'read-only', "the hub's /db endpoint is read-only: it lets a browser copy the content; write through /api/v1/submissions");
}

/** Longest a longpoll waits for a change before answering with none. */
const LONGPOLL_MAX_MS = 60_000;
/** Longpolls held at once; more are answered at once (the client polls again). */
const LONGPOLL_MAX = 100;
/** A checkpoint id as PouchDB (base64 of an md5, "/" and "+" replaced) or CouchDB (hex) make them. */
const LOCAL_ID = /^[A-Za-z0-9._~=+-]{1,128}$/;

const CHANGES = {
  since: 'since',
  limit: 'count',
  style: 'style',
  include_docs: 'bool',
  descending: 'bool',
  feed: 'feed',
  heartbeat: 'heartbeat',
  timeout: 'count',
  seq_interval: 'count',
  conflicts: 'bool',
  attachments: 'bool',
} as const;
const GET_DOC = {
  rev: 'rev',
  revs: 'bool',
  open_revs: 'open_revs',
  latest: 'bool',
  atts_since: 'revs',
  attachments: 'bool',
  att_encoding_info: 'bool',
  conflicts: 'bool',
  deleted_conflicts: 'bool',
  revs_info: 'bool',
  local_seq: 'bool',
  meta: 'bool',
} as const;
const BULK_GET = { revs: 'bool', latest: 'bool', attachments: 'bool' } as const;

export interface ReplicationOptions {
  checkpoints?: CheckpointLimits;
}

/**
 * A CouchDB replication source for `content` at /db/content, so a phone's PouchDB — or any
 * CouchDB-protocol client — can take the content home: info, `_changes` (normal, longpoll
 * and continuous), documents, `_bulk_get`, `_revs_diff`. Every query parameter is checked (400
 * naming it). Replicators that checkpoint on the source may write `_local/` docs: they go
 * to a bounded store of their own (checkpoints.ts), never into `content`. Every other write
 * is refused with 403.
 */
export function replicationRouter(deps: HubDeps, options: ReplicationOptions = {}): Router {
  const router = Router();
  const db = deps.dbs.content;
  const json = express.json({ limit: 256 * 1024 });
  const checkpoints = new CheckpointStore(join(deps.config.dataDir, 'replication-checkpoints'), options.checkpoints ?? CHECKPOINT_LIMITS);
  const localBody = express.json({ limit: (options.checkpoints ?? CHECKPOINT_LIMITS).maxBytes, strict: true });
  // A replication writes a checkpoint per batch: generous, but a loop of writes stops here.
  const localWrites = rateLimit({
    windowMs: 60_000,
    limit: 120,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(429, 'too-many-checkpoints', 'too many checkpoint writes from this device; wait a minute')),
  });
  let longpolls = 0;

  router.get('/db', function root(_req, res) {
    res.json({ couchdb: 'Welcome', vendor: { name: 'espace-connecte' }, version: '3.3.0' });
  });

  router.get('/db/content', async function info(_req, res) {
    const i = await db.info();
    res.set('Cache-Control', 'no-store').json({ db_name: 'content', doc_count: i.doc_count, update_seq: i.update_seq, instance_start_time: '0' });
  });

  async function readChanges(
    q: ReturnType<typeof couchQuery<typeof CHANGES>>
  ): Promise<{ results: PouchDB.Core.ChangesResponseChange<object>[]; last_seq: number | string }> {
    const result = await db.changes({
      since: q.since ?? 0,
      limit: Math.min((q.limit as number | undefined) ?? 1000, 1000),
      style: q.style === 'all_docs' ? 'all_docs' : 'main_only',
      include_docs: q.include_docs === true,
      descending: q.descending === true,
      conflicts: q.conflicts === true,
    } as PouchDB.Core.ChangesOptions);
    return { results: result.results.filter((r) => replicable(r.id)), last_seq: result.last_seq };
  }

  /** Resolves when `content` changes after `since`, or after `ms`, or when the client goes. */
  function changeAfter(since: number | string, ms: number, req: Request): Promise<void> {
    return new Promise((resolve) => {
      const feed = db.changes({ since, live: true, return_docs: false });
      const done = () => {
        clearTimeout(timer);
        req.off('close', done);
        feed.cancel();
        resolve();
      };
      const timer = setTimeout(done, ms);
      void feed.on('change', done);
      void feed.on('error', done);
      req.once('close', done);
    });
  }

  /**
   * feed=continuous (CouchDB's own replicator): one JSON line per change, a newline every
   * heartbeat while nothing happens, then {"last_seq"} when the timeout ends the feed.
   */
  async function continuous(req: Request, res: Response, q: ReturnType<typeof couchQuery<typeof CHANGES>>): Promise<void> {
    const wait = Math.min(LONGPOLL_MAX_MS, (q.timeout as number | undefined) ?? LONGPOLL_MAX_MS);
    const first = await readChanges(q);
    res.status(200).set({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    for (const r of first.results) res.write(`${JSON.stringify(r)}\n`);
    let last = first.last_seq;
    if (longpolls >= LONGPOLL_MAX) {
      res.end(`${JSON.stringify({ last_seq: last })}\n`);
      return;
    }
    longpolls += 1;
    const feed = db.changes({
      since: last,
      live: true,
      return_docs: false,
      include_docs: q.include_docs === true,
      style: q.style === 'all_docs' ? 'all_docs' : 'main_only',
    });
    const heartbeat = q.heartbeat ? setInterval(() => res.write('\n'), Math.max(1000, q.heartbeat as number)) : undefined;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(heartbeat);
        req.off('close', done);
        feed.cancel();
        resolve();
      };
      const timer = setTimeout(done, wait);
      void feed.on('change', (c) => {
        last = c.seq;
        if (replicable(c.id)) res.write(`${JSON.stringify(c)}\n`);
      });
      void feed.on('error', done);
      req.once('close', done);
    });
    longpolls -= 1;
    if (!req.destroyed) res.end(`${JSON.stringify({ last_seq: last })}\n`);
  }

  router.get('/db/content/_changes', async function changes(req, res: Response) {
    const q = couchQuery(req, CHANGES, ['filter', 'view', 'doc_ids', 'selector']);
    if (q.feed === 'continuous') return continuous(req, res, q);
    let answer = await readChanges(q);
    // Longpoll (a continuous PouchDB pull): nothing new yet, so wait for a change or the heartbeat.
    if (q.feed === 'longpoll' && answer.results.length === 0 && q.since !== undefined && longpolls < LONGPOLL_MAX) {
      const wait = Math.min(LONGPOLL_MAX_MS, (q.timeout as number | undefined) ?? LONGPOLL_MAX_MS, (q.heartbeat as number | undefined) ?? LONGPOLL_MAX_MS);
      longpolls += 1;
      try {
        await changeAfter(answer.last_seq, wait, req);
      } finally {
        longpolls -= 1;
      }
      if (req.destroyed) return;
      answer = await readChanges({ ...q, since: answer.last_seq });
    }
    res.set('Cache-Control', 'no-store').json(answer);
  });

  router.post('/db/content/_bulk_get', json, async function bulkGet(req, res) {
    const q = couchQuery(req, BULK_GET);
    const parsed = BulkGetBody.safeParse(req.body);
    if (!parsed.success) throw new AppError(400, 'bad-bulk-get', 'send { "docs": [{ "id": "…", "rev": "…" }] } with at most 1000 entries');
    const result = await db.bulkGet({
      docs: parsed.data.docs,
      revs: q.revs === true,
      latest: true,
      attachments: q.attachments === true,
    } as PouchDB.Core.BulkGetOptions);
    res.set('Cache-Control', 'no-store').json(result);
  });

  router.post('/db/content/_revs_diff', json, async function revsDiff(req, res) {
    const parsed = RevsDiffBody.safeParse(req.body);
    if (!parsed.success) throw new AppError(400, 'bad-revs-diff', 'send { "<doc id>": ["<rev>", …] } with revisions like "1-abc123", 1000 docs at most');
    res.json(await db.revsDiff(parsed.data));
  });

  function localId(req: Request): string {
    const id = String(req.params.id);
    if (!LOCAL_ID.test(id)) throw new AppError(400, 'bad-local-id', 'a checkpoint id is 1–128 letters, digits, ".", "_", "~", "=", "+" or "-"');
    return id;
  }

  router.get('/db/content/_local/:id', async function getLocal(req, res) {
    const doc = await checkpoints.get(localId(req));
    if (!doc) throw new AppError(404, 'not-found', 'missing');
    res.set('Cache-Control', 'no-store').json(doc);
  });

  router.put('/db/content/_local/:id', localWrites, localBody, async function putLocal(req, res) {
    const id = localId(req);
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError(400, 'bad-checkpoint', 'send the checkpoint as a JSON object');
    if ('_attachments' in body) throw new AppError(400, 'bad-checkpoint', 'a checkpoint has no attachments');
    const { rev } = await checkpoints.put(id, body as Record<string, unknown>);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ok: true, id: `_local/${id}`, rev });
  });

  router.delete('/db/content/_local/:id', localWrites, async function deleteLocal(req, res) {
    const id = localId(req);
    const rev = couchQuery(req, { rev: 'rev' }).rev;
    await checkpoints.remove(id, rev);
    res.set('Cache-Control', 'no-store').json({ ok: true, id: `_local/${id}`, rev: '0-0' });
  });

  router.get('/db/content/:id', async function getDoc(req, res) {
    const id = req.params.id;
    if (!replicable(id)) throw new AppError(404, 'not-found', `nothing at /db/content/${id.slice(0, 60)}`);
    const q = couchQuery(req, GET_DOC);
    const opts: Record<string, unknown> = {
      revs: q.revs === true,
      latest: true,
      conflicts: q.conflicts === true,
      attachments: q.attachments === true,
      revs_info: q.revs_info === true,
    };
    if (q.rev !== undefined) opts.rev = q.rev;
    if (q.open_revs !== undefined) opts.open_revs = q.open_revs;
    try {
      res.set('Cache-Control', 'no-store').json(await db.get(id, opts as PouchDB.Core.GetOptions));
    } catch (e) {
      if (isNotFound(e)) throw new AppError(404, 'not-found', `no document ${id.slice(0, 80)} in content`);
      throw e;
    }
  });

  // Everything else under /db is a write (or an admin call): refused.
  router.all(/^\/db(\/.*)?$/, function refuse(req, _res, next) {
    if (req.method === 'GET' || req.method === 'HEAD') return void next(new AppError(404, 'not-found', 'only the content database is served here, read-only'));
    next(forbidden());
  });
  return router;
}
