import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire, Module } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';

/*
 * The stand-in central: pouchdb-server's parts (express-pouchdb over PouchDB 7 on LevelDB) on a
 * listener of its own, plus exactly the two CouchDB 3 behaviours the hub needs and
 * express-pouchdb lacks: `_changes?filter=_selector` and `Range` on attachment GETs.
 * express-pouchdb is resolved through pouchdb-server so it gets the Express 4 and PouchDB 7
 * it was written for (it breaks under Express 5).
 */
const requireFromServer = createRequire(createRequire(import.meta.url).resolve('pouchdb-server/package.json'));
const requireFromExpressPouch = createRequire(requireFromServer.resolve('express-pouchdb/package.json'));

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface PouchLike {
  changes(opts: Record<string, unknown>): Promise<{ results: unknown[]; last_seq: number | string }>;
  get(id: string, opts?: Record<string, unknown>): Promise<Record<string, unknown> & { _attachments?: Record<string, { content_type: string; length: number; digest: string }> }>;
  getAttachment(id: string, name: string, opts?: Record<string, unknown>): Promise<Buffer>;
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
  const file = requireFromExpressPouch.resolve('pouchdb-validation');
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  if (cache[file]) return;
  const source = readFileSync(file, 'utf8');
  const buggy = 'newDoc._revisions = (oldDoc || {})._revisions;';
  if (!source.includes(buggy)) throw new Error(`pouchdb-validation changed (${file}): check whether replicated edits still land, then update fixPouchValidation`);
  const fixed = source.replace(buggy, 'if (!newDoc._revisions) { newDoc._revisions = (oldDoc || {})._revisions; }');
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void; filename: string; paths: string[]; loaded: boolean };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  m._compile(fixed, file);
  m.loaded = true;
  cache[file] = m;
}

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
      JSON.stringify({ admins: { [options.admin.username]: options.admin.password }, log: { file: join(dir, 'log.txt'), level: 'error' } }, null, 2),
    );
  }
  const Pouch = pouch7().defaults({ prefix: dir + sep });
  fixPouchValidation();
  const expressPouchdb = requireFromServer('express-pouchdb') as (p: PouchCtor, o: Record<string, unknown>) => Handler & { setPouchDB?: unknown };
  const couch = expressPouchdb(Pouch, { configPath, logPath: join(dir, 'log.txt'), overrideMode: { exclude: ['routes/fauxton', 'routes/replicate', 'replicator'] } });
  const express4 = requireFromExpressPouch('express') as () => Handler & { use(...a: unknown[]): void; all(...a: unknown[]): void };
  const app = express4();
  let base = '';
  let lastAttachment: { key: string; data: Buffer } | undefined;
  const dbs = new Map<string, PouchLike>();
  const dbOf = (name: string) => {
    let db = dbs.get(name);
    if (!db) {
      db = new Pouch(name);
      dbs.set(name, db);
    }
    return db;
  };

  /** Asks express-pouchdb itself whether these credentials may read `db` (its _security and _users rules). */
  async function mayRead(req: IncomingMessage, res: ServerResponse, db: string): Promise<boolean> {
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    const answer = await fetch(`${base}/${encodeURIComponent(db)}`, { headers });
    if (answer.ok) return true;
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(await answer.text());
    return false;
  }

  app.all('/:db/_changes', (req: IncomingMessage & { params: Record<string, string>; query: Record<string, string> }, res: ServerResponse, next: () => void) => {
    if (req.query.filter !== '_selector') return next();
    (async () => {
      if (!(await mayRead(req, res, req.params.db!))) return;
      const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : {};
      if (!body.selector || typeof body.selector !== 'object') {
        sendJson(res, 400, { error: 'bad_request', reason: 'Selector must be specified in POST payload' });
        return;
      }
      const q = req.query;
      const since = q.since === undefined || q.since === 'now' ? 0 : Number(q.since);
      const result = await dbOf(req.params.db!).changes({
        since,
        limit: q.limit !== undefined ? Number(q.limit) : undefined,
        style: q.style,
        include_docs: q.include_docs === 'true',
        conflicts: q.conflicts === 'true',
        descending: q.descending === 'true',
        selector: body.selector,
        return_docs: true,
      });
      sendJson(res, 200, result);
    })().catch((err: { status?: number; name?: string; message?: string }) => sendJson(res, err.status ?? 500, { error: err.name ?? 'error', reason: err.message ?? String(err) }));
  });

  app.all('/:db/:doc/:att(*)', (req: IncomingMessage & { params: Record<string, string> }, res: ServerResponse, next: () => void) => {
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (req.method !== 'GET' || !range || req.params.db!.startsWith('_') || req.params.doc!.startsWith('_')) return next();
    (async () => {
      const { db: dbName, doc, att } = req.params as { db: string; doc: string; att: string };
      if (!(await mayRead(req, res, dbName))) return;
      const db = dbOf(dbName);
      const meta = (await db.get(doc))._attachments?.[att];
      if (!meta) return sendJson(res, 404, { error: 'not_found', reason: 'Document is missing attachment' });
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
    })().catch((err: { status?: number; name?: string; message?: string }) => sendJson(res, err.status ?? 500, { error: err.name ?? 'error', reason: err.message ?? String(err) }));
  });

  app.use(couch);
  const server = createServer(app);
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: base,
    port,
    server,
    async stop() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await Promise.all([...dbs.values()].map((db) => db.close().catch(() => undefined)));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  // express-pouchdb parses bodies per route; this layer sees the raw stream.
  return new Promise((ok, ko) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      ok((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
    });
    req.on('error', ko);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
