/// <reference types="pouchdb" />
import { mkdirSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { join } from 'node:path';
import type { Logger } from '../log/index.js';
import { durableLeveldown } from './durable-leveldown.js';

const require = createRequire(import.meta.url);
deferCookieJar();
const PouchDB = require('pouchdb') as PouchDB.Static;

/**
 * PouchDB's bundle wraps its HTTP fetch in fetch-cookie when it loads, and fetch-cookie loads
 * tough-cookie and the public suffix list: ~0.1 s of CPU at every start (~0.4 s on a Pi's
 * core), for the HTTP adapter only sync uses, minutes later. The wrapper PouchDB gets loads
 * the real one at its first call, with the same arguments: the same cookie jar then on.
 */
function deferCookieJar(): void {
  const fromPouch = createRequire(require.resolve('pouchdb'));
  let path: string;
  try {
    path = fromPouch.resolve('fetch-cookie');
  } catch {
    return; // A PouchDB without it: nothing to defer.
  }
  if (require.cache[path]) return;
  type FetchCookie = (fetch: unknown, ...rest: unknown[]) => (...args: unknown[]) => unknown;
  const deferred = new Module(path);
  deferred.filename = path;
  deferred.loaded = true;
  deferred.exports = function fetchCookie(fetch: unknown, ...rest: unknown[]) {
    let real: ReturnType<FetchCookie> | undefined;
    return (...args: unknown[]) => {
      if (!real) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the module cache, keyed by path
        if (require.cache[path] === deferred) delete require.cache[path];
        real = (fromPouch('fetch-cookie') as FetchCookie)(fetch, ...rest);
      }
      return real(...args);
    };
  };
  require.cache[path] = deferred;
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
    const db = new PouchDB<Record<string, unknown>>(join(dir, name), {
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
