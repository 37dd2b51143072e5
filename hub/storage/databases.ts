/// <reference types="pouchdb" />
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join } from 'node:path';
import type { Logger } from '../log/index.js';
import { durableLeveldown } from './durable-leveldown.js';
import { dbLocation } from './peek.js';

const require = createRequire(import.meta.url);
deferPouchDependencies();
const PouchDB = require('pouchdb') as PouchDB.Static;

type Fn = (...args: unknown[]) => unknown;

/**
 * PouchDB's bundle requires, when it loads, modules that only some of its paths use: its HTTP
 * fetch (node-fetch with whatwg-url) wrapped in a cookie jar (fetch-cookie, tough-cookie and the
 * public suffix list), which only sync uses, minutes later; uuid, for a new db's id or a
 * replication's; level, for a migration of LevelDB stores older than PouchDB 2; through2, for
 * changes feeds and allDocs, which no start reads before its first search; levelup's
 * level-iterator-stream (with its own copy of readable-stream), for levelup's read streams,
 * which PouchDB does not use (its own are built on iterators); level-write-stream, for that
 * migration too. Together ~0.2 s of CPU at every start on a Pi's core (~60 ms here). Each is
 * put in the module cache as a stand-in that loads the real module at its first use, with the same arguments, and then
 * leaves the cache to it: whoever requires it later gets the real one.
 */
function deferPouchDependencies(): void {
  const fromPouch = createRequire(require.resolve('pouchdb'));
  // fetchCookie(fetch) at load: the wrapper PouchDB keeps builds the real one at its first call.
  defer(fromPouch, 'fetch-cookie', (load) => (fetch: unknown, ...rest: unknown[]) => {
    let real: Fn | undefined;
    return (...args: unknown[]) => (real ??= (load() as Fn)(fetch, ...rest) as Fn)(...args);
  });
  // PouchDB reads `default` (the fetch it wraps) at load, `Headers` when it makes a request.
  defer(fromPouch, 'node-fetch', (load) => lazyObject(load, { default: later(load, 'default') }));
  // `uuid.v4` is read at load and called, without arguments, for every changes feed followed
  // (the catalog's, before the first search): the same random UUID, from node:crypto.
  defer(fromPouch, 'uuid', (load) => lazyObject(load, { v4: (...args: unknown[]) => (args.length === 0 ? randomUUID() : later(load, 'v4')(...args)) }));
  // levelup's createReadStream (another copy of readable-stream), which PouchDB's own streams
  // do not use: `new IteratorStream(...)` builds the real one.
  defer(createRequire(fromPouch.resolve('levelup')), 'level-iterator-stream', constructedLater);
  // through2 (with its own copy of readable-stream) makes the streams of PouchDB's changes feeds
  // and allDocs, when they are read: the hub reads none before its first search (the catalog
  // follows the content db after it, hub/main.ts).
  defer(fromPouch, 'through2', (load) => lazyObject(load, { obj: later(load, 'obj') }));
  // level-write-stream (end-stream, write-stream and an old readable-stream): only the
  // migration from LevelDB stores older than PouchDB 2 makes one, with `new`, as it uses level.
  defer(fromPouch, 'level-write-stream', constructedLater);
  defer(
    fromPouch,
    'level',
    (load) =>
      (...args: unknown[]) =>
        (load() as Fn)(...args)
  );
}

/** Puts `standIn(load)` in the module cache in place of `name` as `from` resolves it, unless it is loaded already. */
function defer(from: NodeJS.Require, name: string, standIn: (load: () => unknown) => unknown): void {
  let path: string;
  try {
    path = from.resolve(name);
  } catch {
    return; // A PouchDB without it: nothing to defer.
  }
  if (require.cache[path]) return;
  const deferred = new Module(path);
  deferred.filename = path;
  deferred.loaded = true;
  let real: unknown;
  const load = (): unknown => {
    if (real === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the module cache, keyed by path
      if (require.cache[path] === deferred) delete require.cache[path];
      real = from(name);
    }
    return real;
  };
  deferred.exports = standIn(load);
  require.cache[path] = deferred;
}

/** A stand-in for a module that is a constructor: `new` on it builds the real module's. */
function constructedLater(load: () => unknown): unknown {
  return function constructed(...args: unknown[]): unknown {
    return new (load() as new (...a: unknown[]) => unknown)(...args);
  };
}

/** The module's function `name`, loaded at the first call. */
function later(load: () => unknown, name: string): Fn {
  return (...args) => ((load() as Record<string, Fn>)[name] as Fn)(...args);
}

/** A module's exports read through: the functions in `fns` are read without loading it, anything else loads it and reads the real one. */
function lazyObject(load: () => unknown, fns: Record<string, Fn>): object {
  const wrappers = new Map(Object.entries(fns));
  return new Proxy(
    {},
    {
      get: (_, prop): unknown => (typeof prop === 'string' && wrappers.get(prop)) || (Reflect.get(load() as object, prop) as unknown),
      has: (_, prop) => (typeof prop === 'string' && wrappers.has(prop)) || Reflect.has(load() as object, prop),
    }
  );
}

export const DB_NAMES = ['content', 'media', 'submissions', 'fleet'] as const;
export type DbName = (typeof DB_NAMES)[number];
export type Database = PouchDB.Database<Record<string, unknown>>;
export type Databases = Record<DbName, Database>;

/** PouchDB itself, for code that must build a remote or a replication (sync, tests). */
export function pouchConstructor(): PouchDB.Static {
  return PouchDB;
}

/**
 * Opens (creating when new) the databases under `<dataDir>/db/`: all four, or those named
 * (the hub opens content and media before its first search, the others after).
 */
export function openDatabases(dataDir: string, log: Logger): Promise<Databases>;
export function openDatabases<N extends DbName>(dataDir: string, log: Logger, names: readonly N[]): Promise<Pick<Databases, N>>;
export async function openDatabases(dataDir: string, log: Logger, names: readonly DbName[] = DB_NAMES): Promise<Partial<Databases>> {
  const dir = join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const dbs: Partial<Databases> = {};
  for (const name of names) {
    const db = new PouchDB<Record<string, unknown>>(dbLocation(dataDir, name), {
      adapter: 'leveldb',
      db: durableLeveldown,
      // Revisions of content are replaced wholesale by packs and sync; keep history short on the SD card.
      revs_limit: 20,
      auto_compaction: name !== 'submissions',
    } as PouchDB.Configuration.DatabaseConfiguration);
    await db.info();
    dbs[name] = db;
  }
  log.debug({ dir, names }, 'databases open');
  return dbs;
}

export async function closeDatabases(dbs: Partial<Databases>): Promise<void> {
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
