import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire, Module } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compressible, NodeConfig, opaqueSeqs, readBody as readRaw, rewriteJsonAnswer, sendJson, seqNumber } from './standin-couch3.js';
import { replicate, ReplicatorJobs, type ReplicationSpec, type ReplicatorPouch } from './standin-replicator.js';
import { z } from 'zod';
import { formBody } from '../../hub/index.js';

/*
 * The stand-in central: pouchdb-server's parts (express-pouchdb over PouchDB 7 on LevelDB) on a
 * listener of its own, plus the CouchDB 3 behaviours the project meets in production and
 * express-pouchdb lacks or gets wrong: `_changes?filter=_selector`, `Range` on attachments (and
 * none on compressible types), opaque string sequences, `_replicate` open to any user and
 * `_replicator` jobs (URLs only), `_purge`, per-node `_config`, `_membership`, `_cluster_setup`,
 * a 500 to a non-admin's `_security` PUT (see standin-couch3.ts), and answers never gzip'd (CouchDB 3
 * leaves that to a proxy: the stand-in drops Accept-Encoding before express-pouchdb's compression).
 * express-pouchdb is resolved through pouchdb-server so it gets the Express 4 and PouchDB 7
 * it was written for (it breaks under Express 5).
 */

/** A _changes request's body (POST): a Mango selector, or the ids to follow; anything else is ignored. */
const CHANGES_BODY = z.looseObject({ selector: z.unknown().optional(), doc_ids: z.array(z.string()).optional().catch(undefined) }).catch({});

// Resolved at first use, not when the module loads: every `espace` command loads this file, and
// pouchdb-server is a dev dependency (only `espace central dev` needs it), absent from a Pi's
// production install (`npm prune --omit=dev`).
let fromServer: NodeJS.Require | undefined;
let fromExpressPouch: NodeJS.Require | undefined;
function serverRequire(): NodeJS.Require {
  fromServer ??= createRequire(createRequire(import.meta.url).resolve('pouchdb-server/package.json'));
  return fromServer;
}
function requireFromServer(id: string): unknown {
  return serverRequire()(id);
}
function expressPouchRequire(): NodeJS.Require {
  fromExpressPouch ??= createRequire(serverRequire().resolve('express-pouchdb/package.json'));
  return fromExpressPouch;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface PouchLike {
  changes(opts: Record<string, unknown>): Promise<{ results: unknown[]; last_seq: number | string }>;
  get(
    id: string,
    opts?: Record<string, unknown>
  ): Promise<Record<string, unknown> & { _attachments?: Record<string, { content_type: string; length: number; digest: string }> }>;
  getAttachment(id: string, name: string, opts?: Record<string, unknown>): Promise<Buffer>;
  compact(): Promise<unknown>;
  close(): Promise<void>;
}
type PouchCtor = { new (name: string): PouchLike; defaults(o: Record<string, unknown>): PouchCtor; plugin(p: unknown): PouchCtor };

export interface StandInOptions {
  /** Where the databases and the config live. */
  dir: string;
  host?: string;
  port?: number;
  admin: { username: string; password: string };
}

export interface StandInCentral {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/**
 * pouchdb-validation (express-pouchdb's validate_doc_update) replaces every incoming doc's
 * `_revisions` with the stored doc's before validating. For a replicated write
 * (`new_edits: false`) that turns a new revision — an edit, a deletion — back into the old
 * one, which is then "written" as a no-op: edits and erasures pushed by hubs never landed.
 * CouchDB 3 keeps the incoming history; so does this one-line fix, applied to the module
 * before express-pouchdb loads it.
 */
function fixPouchValidation(): void {
  const file = expressPouchRequire().resolve('pouchdb-validation');
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  if (cache[file]) return;
  const source = readFileSync(file, 'utf8');
  const buggy = 'newDoc._revisions = (oldDoc || {})._revisions;';
  if (!source.includes(buggy))
    throw new Error(`pouchdb-validation changed (${file}): check whether replicated edits still land, then update fixPouchValidation`);
  const fixed = source.replace(buggy, 'if (!newDoc._revisions) { newDoc._revisions = (oldDoc || {})._revisions; }');
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void; filename: string; paths: string[]; loaded: boolean };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  m._compile(fixed, file);
  m.loaded = true;
  cache[file] = m;
}

/** The node's name, as a single CouchDB 3 node calls itself. */
const NODE = 'nonode@nohost';

let PouchDB7: PouchCtor | undefined;
function pouch7(): PouchCtor {
  PouchDB7 ??= (requireFromServer('pouchdb-core') as PouchCtor)
    .plugin(requireFromServer('pouchdb-adapter-http'))
    .plugin(requireFromServer('pouchdb-adapter-leveldb'))
    .plugin(requireFromServer('pouchdb-replication'))
    .plugin(requireFromServer('pouchdb-mapreduce'));
  return PouchDB7;
}

export async function startStandInCentral(options: StandInOptions): Promise<StandInCentral> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) {
    // express-pouchdb hashes plain admin passwords in its config file on load, like CouchDB's local.ini.
    writeFileSync(
      configPath,
      JSON.stringify({ admins: { [options.admin.username]: options.admin.password }, log: { file: join(dir, 'log.txt'), level: 'error' } }, null, 2)
    );
  }
  const Pouch = pouch7().defaults({ prefix: dir + sep });
  fixPouchValidation();
  const expressPouchdb = requireFromServer('express-pouchdb') as (p: PouchCtor, o: Record<string, unknown>) => Handler & { setPouchDB?: unknown };
  const couch = expressPouchdb(Pouch, {
    configPath,
    logPath: join(dir, 'log.txt'),
    overrideMode: { exclude: ['routes/fauxton', 'routes/replicate', 'replicator'] },
  });
  const express4 = expressPouchRequire()('express') as () => Handler & Record<'use' | 'all' | 'get' | 'put' | 'post', (...a: unknown[]) => void>;
  const app = express4();
  let base = '';
  let lastAttachment: { key: string; data: Buffer } | undefined;
  const dbs = new Map<string, PouchLike>();
  const continuous: { run: { cancel(): void }; close(): Promise<void> }[] = [];
  const dbOf = (name: string) => {
    let db = dbs.get(name);
    if (!db) {
      db = new Pouch(name);
      dbs.set(name, db);
    }
    return db;
  };

  const nodeConfig = new NodeConfig(dir);
  const authHeaders = (req: IncomingMessage): Record<string, string> => {
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    return headers;
  };
  type Req = IncomingMessage & { params: Record<string, string>; query: Record<string, string>; url: string };
  const fail = (res: ServerResponse) => (err: { status?: number; name?: string; message?: string }) =>
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown non-Error is shown as it is
    sendJson(res, err.status ?? 500, { error: err.name ?? 'error', reason: err.message ?? String(err) });
  const handle = (fn: (req: Req, res: ServerResponse) => Promise<void>) => (req: Req, res: ServerResponse) => void fn(req, res).catch(fail(res));

  /** Asks express-pouchdb itself whether these credentials may read `db` (its _security and _users rules). */
  async function mayRead(req: IncomingMessage, res: ServerResponse, db: string): Promise<boolean> {
    const answer = await fetch(`${base}/${encodeURIComponent(db)}`, { headers: authHeaders(req) });
    if (answer.ok) return true;
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(await answer.text());
    return false;
  }

  /** Who is asking, as express-pouchdb sees it (name null when anonymous). */
  async function userCtx(req: IncomingMessage): Promise<{ name: string | null; roles: string[] }> {
    const answer = await fetch(`${base}/_session`, { headers: authHeaders(req) });
    const body = (await answer.json().catch(() => ({}))) as { userCtx?: { name: string | null; roles: string[] } };
    return body.userCtx ?? { name: null, roles: [] };
  }

  /** Server admins only, with CouchDB's answers otherwise. */
  async function requireAdmin(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const who = await userCtx(req);
    if (who.roles.includes('_admin')) return true;
    if (!who.name) sendJson(res, 401, { error: 'unauthorized', reason: 'Authentication required.' });
    else sendJson(res, 403, { error: 'forbidden', reason: 'You are not a server admin.' });
    return false;
  }

  // CouchDB 3 never gzips its answers (a proxy must): express-pouchdb's compression sees no Accept-Encoding.
  app.use((req: Req, _res: ServerResponse, next: (e?: unknown) => void) => {
    delete req.headers['accept-encoding'];
    next();
  });

  // CouchDB 3's sequences are opaque strings: clients get strings, PouchDB 7 gets its numbers back.
  const SYSTEM_DBS = new Set(['_users', '_replicator']);
  app.use((req: Req, res: ServerResponse, next: (e?: unknown) => void) => {
    const path = req.url.split('?')[0]!;
    const m = /^\/([^/]+)(\/_changes)?\/?$/.exec(path);
    if (!m) return void next();
    const db = decodeURIComponent(m[1]!);
    if (db.startsWith('_') && !SYSTEM_DBS.has(db)) return void next();
    if (!m[2] && req.method !== 'GET') return void next();
    if (m[2] && req.query.since !== undefined) {
      let since: number | 'now' | undefined;
      try {
        since = seqNumber(req.query.since);
      } catch (e) {
        return void sendJson(res, 400, { error: 'bad_request', reason: (e as Error).message });
      }
      req.query.since = String(since);
      const url = new URL(req.url, 'http://x');
      url.searchParams.set('since', String(since));
      req.url = url.pathname + url.search;
    }
    if (req.query.feed !== 'continuous' && req.query.feed !== 'eventsource') rewriteJsonAnswer(res, opaqueSeqs);
    next();
  });

  /*
   * `_changes` with a Mango selector (CouchDB 3's filter=_selector), and every longpoll:
   * express-pouchdb's longpoll keeps a heartbeat interval running after its client has gone,
   * which keeps the process (and a test) alive; this one ends its wait when the client leaves
   * or the stand-in stops.
   */
  const waiting = new Set<() => void>();
  app.all('/:db/_changes', (req: Req, res: ServerResponse, next: () => void) => {
    const longpoll = req.query.feed === 'longpoll';
    if (req.query.filter !== '_selector' && !longpoll) return void next();
    if (req.query.filter !== undefined && req.query.filter !== '_selector') return void next();
    handle(async () => {
      if (!(await mayRead(req, res, req.params.db!))) return;
      const body = CHANGES_BODY.parse(req.method === 'POST' ? JSON.parse((await readRaw(req, gunzipSync)) || '{}') : {});
      if (req.query.filter === '_selector' && (!body.selector || typeof body.selector !== 'object')) {
        sendJson(res, 400, { error: 'bad_request', reason: 'Selector must be specified in POST payload' });
        return;
      }
      const q = req.query;
      const since = q.since === undefined || q.since === 'now' ? 0 : Number(q.since);
      const opts = {
        since,
        limit: q.limit !== undefined ? Number(q.limit) : undefined,
        style: q.style,
        include_docs: q.include_docs === 'true',
        conflicts: q.conflicts === 'true',
        descending: q.descending === 'true',
        ...(body.selector ? { selector: body.selector } : {}),
        ...(Array.isArray(body.doc_ids) ? { doc_ids: body.doc_ids, filter: '_doc_ids' } : {}),
        return_docs: true,
      };
      const db = dbOf(req.params.db!);
      const result = await db.changes(opts);
      if (!longpoll || result.results.length) return void sendJson(res, 200, result);
      const timeoutMs = Math.min(Number(q.timeout ?? 60_000) || 60_000, 60_000);
      const answer = await new Promise<unknown>((resolve) => {
        const feed = (db as unknown as { changes(o: object): { on(e: string, f: (c: { seq: number }) => void): unknown; cancel(): void } }).changes({
          ...opts,
          since: result.last_seq,
          live: true,
          return_docs: false,
        });
        const done = (value: unknown) => {
          clearTimeout(timer);
          waiting.delete(stop);
          feed.cancel();
          resolve(value);
        };
        const stop = () => done(null);
        waiting.add(stop);
        const timer = setTimeout(() => done({ results: [], last_seq: result.last_seq }), timeoutMs);
        timer.unref();
        feed.on('change', (change) => done({ results: [change], last_seq: change.seq }));
        res.once('close', stop);
      });
      if (answer) sendJson(res, 200, answer);
      else if (!res.writableEnded) res.end();
    })(req, res);
  });

  app.all('/:db/:doc/:att(*)', (req: Req, res: ServerResponse, next: () => void) => {
    if (req.method !== 'GET' || req.params.db!.startsWith('_') || req.params.doc!.startsWith('_')) return void next();
    handle(async () => {
      const { db: dbName, doc, att } = req.params as { db: string; doc: string; att: string };
      if (!(await mayRead(req, res, dbName))) return;
      const db = dbOf(dbName);
      const meta = (await db.get(doc))._attachments?.[att];
      if (!meta) return void sendJson(res, 404, { error: 'not_found', reason: 'Document is missing attachment' });
      // CouchDB 3 stores these compressed and then serves them whole, Range or not.
      if (compressible(meta.content_type, nodeConfig.get('attachments', 'compressible_types') ?? '')) {
        res.setHeader('Accept-Ranges', 'none');
        return void next();
      }
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (!range) {
        res.setHeader('Accept-Ranges', 'bytes');
        return void next();
      }
      // Ranged downloads come one after another for the same file: keep the last one read.
      const key = `${dbName}/${doc}/${att}@${meta.digest}`;
      if (lastAttachment?.key !== key) lastAttachment = { key, data: await db.getAttachment(doc, att) };
      const data = lastAttachment.data;
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      if (start >= data.length || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}`, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'requested_range_not_satisfiable', reason: 'Requested range not satisfiable' }));
        return;
      }
      res.writeHead(206, {
        'Content-Type': meta.content_type,
        'Content-Length': end - start + 1,
        'Content-Range': `bytes ${start}-${end}/${data.length}`,
        'Accept-Ranges': 'bytes',
        ETag: JSON.stringify(meta.digest),
      });
      res.end(data.subarray(start, end + 1));
    })(req, res);
  });

  // Per-node configuration, CouchDB 3's way (`/_node/_local/_config/section/key`), admins only.
  app.all(
    '/_node/:node/_config/:section/:key?',
    handle(async (req, res) => {
      if (!(await requireAdmin(req, res))) return;
      const { section, key } = req.params as { section: string; key?: string };
      if (!key) {
        if (req.method !== 'GET') return void sendJson(res, 405, { error: 'method_not_allowed', reason: 'Only GET allowed' });
        return void sendJson(res, 200, nodeConfig.section(section) ?? {});
      }
      if (req.method === 'GET') {
        const v = nodeConfig.get(section, key);
        return v === undefined ? void sendJson(res, 404, { error: 'not_found', reason: 'unknown_config_value' }) : void sendJson(res, 200, v);
      }
      if (req.method === 'PUT') {
        const value = JSON.parse((await readRaw(req, gunzipSync)) || 'null') as unknown;
        if (typeof value !== 'string') return void sendJson(res, 400, { error: 'bad_request', reason: 'Config values must be strings' });
        return void sendJson(res, 200, nodeConfig.set(section, key, value) ?? '');
      }
      if (req.method === 'DELETE') {
        const old = nodeConfig.set(section, key, undefined);
        return old === undefined ? void sendJson(res, 404, { error: 'not_found', reason: 'unknown_config_value' }) : void sendJson(res, 200, old);
      }
      sendJson(res, 405, { error: 'method_not_allowed', reason: 'Only GET,PUT,DELETE allowed' });
    })
  );
  app.all(
    '/_membership',
    handle(async (req, res) => void ((await requireAdmin(req, res)) && sendJson(res, 200, { all_nodes: [NODE], cluster_nodes: [NODE] })))
  );
  app.all('/_up', (_req: Req, res: ServerResponse) => sendJson(res, 200, { status: 'ok', seeds: {} }));
  app.all(
    '/_cluster_setup',
    handle(async (req, res) => {
      if (!(await requireAdmin(req, res))) return;
      if (req.method === 'GET') return void sendJson(res, 200, { state: 'single_node_enabled' });
      const action = formBody(JSON.parse((await readRaw(req, gunzipSync)) || '{}')).action;
      if (typeof action !== 'string' || !['enable_single_node', 'finish_cluster', 'enable_cluster', 'add_node'].includes(action))
        return void sendJson(res, 400, { error: 'bad_request', reason: 'Invalid Action' });
      sendJson(res, 201, { ok: true });
    })
  );

  // CouchDB 3 answers a non-admin's attempt with 500 no_majority, not 401/403.
  app.put('/:db/_security', (req: Req, res: ServerResponse, next: () => void) =>
    handle(async () => {
      if ((await userCtx(req)).roles.includes('_admin')) return void next();
      sendJson(res, 500, { error: 'error', reason: 'no_majority' });
    })(req, res)
  );

  /*
   * `_purge` (admins): PouchDB 7 cannot purge on LevelDB, so the stand-in compacts the database,
   * which removes every non-leaf revision's body: `?rev=` of an old revision is 404 afterwards,
   * as after CouchDB's purge. Unlike CouchDB, the purged leaf (a tombstone) stays.
   */
  app.post(
    '/:db/_purge',
    handle(async (req, res) => {
      if (!(await requireAdmin(req, res))) return;
      const body = formBody(JSON.parse((await readRaw(req, gunzipSync)) || '{}'));
      const db = dbOf(req.params.db!);
      const purged: Record<string, string[]> = {};
      for (const [id, asked] of Object.entries(body)) {
        if (!Array.isArray(asked)) return void sendJson(res, 400, { error: 'bad_request', reason: `Revisions of ${id} must be a list` });
        const revs: readonly unknown[] = asked;
        const leaves = await db.get(id, { open_revs: 'all' }).then(
          (r) => (r as unknown as { ok?: { _rev: string } }[]).flatMap((x) => (x.ok ? [x.ok._rev] : [])),
          () => [] as string[]
        );
        purged[id] = revs.filter((r): r is string => typeof r === 'string' && leaves.includes(r));
      }
      await db.compact();
      sendJson(res, 201, { purge_seq: null, purged });
    })
  );

  // express-pouchdb lets these routes skip the database's readers: CouchDB 3 checks them.
  app.all('/:db/:guarded(_find|_explain|_index|_bulk_get|_revs_diff|_missing_revs)', (req: Req, res: ServerResponse, next: () => void) =>
    handle(async () => {
      if (await mayRead(req, res, req.params.db!)) next();
    })(req, res)
  );

  // Any authenticated user may ask central to replicate, as CouchDB 3 allows: the proxy refuses it.
  app.post(
    '/_replicate',
    handle(async (req, res) => {
      const who = await userCtx(req);
      if (!who.name) return void sendJson(res, 401, { error: 'unauthorized', reason: 'Authentication required.' });
      const spec = JSON.parse((await readRaw(req, gunzipSync)) || '{}') as ReplicationSpec;
      const job = replicate(pouch7() as unknown as ReplicatorPouch, spec);
      if (spec.continuous) {
        continuous.push(job);
        return void sendJson(res, 202, { ok: true, _local_id: `standin-${continuous.length}` });
      }
      try {
        const r = await job.run;
        sendJson(res, 200, { ok: true, history: [{ docs_written: r.docs_written, docs_read: r.docs_read, doc_write_failures: r.doc_write_failures }] });
      } finally {
        await job.close();
      }
    })
  );
  app.get(
    '/_scheduler/docs',
    handle(async (req, res) => void ((await requireAdmin(req, res)) && sendJson(res, 200, jobs.docs())))
  );

  app.use(couch);
  const server = createServer(app);
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const jobs = new ReplicatorJobs(pouch7() as unknown as ReplicatorPouch, dbOf('_replicator') as never);
  jobs.start();
  return {
    url: base,
    port,
    server,
    async stop() {
      jobs.stop();
      for (const stop of [...waiting]) stop();
      for (const c of continuous) c.run.cancel();
      await Promise.all(continuous.map((c) => c.close()));
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await Promise.all([...dbs.values()].map((db) => db.close().catch(() => undefined)));
    },
  };
}
