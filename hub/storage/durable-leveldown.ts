import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
// PouchDB 9's own LevelDB binding (prebuilt binaries for linux-x64 and linux-arm64).
const leveldown = require('leveldown') as (location: string) => LevelDown;

export interface LevelDown {
  open(options: Record<string, unknown>, cb: (err?: Error) => void): void;
  get(key: string, options: Record<string, unknown>, cb: (err?: Error, value?: unknown) => void): void;
  close(cb: (err?: Error) => void): void;
  _open(options: Record<string, unknown>, cb: (err?: Error) => void): void;
  _get(key: unknown, options: Record<string, unknown>, cb: (err?: Error, value?: unknown) => void): void;
  _batch(ops: { key?: unknown }[], options: Record<string, unknown>, cb: (err?: Error) => void): void;
  _put(key: unknown, value: unknown, options: Record<string, unknown>, cb: (err?: Error) => void): void;
  _del(key: unknown, options: Record<string, unknown>, cb: (err?: Error) => void): void;
}

/**
 * leveldown's own error for a key it does not hold, made once: PouchDB's sublevel answers its
 * own not-found for any error of a read and drops this one, so a new doc's look-up need not
 * capture a stack: an Error per new doc was about 600 bytes of garbage per registration.
 */
const NOT_FOUND = new Error('NotFound: ');

/** PouchDB's LevelDB key of a doc's metadata (its revisions), in its "document-store" sublevel. */
const DOC_KEY_PREFIX = '\u00ffdocument-store\u00ff';

/**
 * Per database (its location, which is PouchDB's name for it): the metadata keys of docs a
 * writer said are new (`markNew`), from then until the LevelDB batch that writes them is issued.
 */
const newDocKeys = new Map<string, Set<string>>();

/**
 * Says that the docs `ids` of the database at `location` are not stored (ids a writer has just
 * made at random): until the batch that writes them, PouchDB's look-up of their revisions is
 * answered "not found" without a LevelDB read. Returns what forgets the ids not written yet
 * (a write refused before its batch), to call once the write has settled.
 */
export function markNew(location: string, ids: readonly string[]): () => void {
  let keys = newDocKeys.get(location);
  if (!keys) newDocKeys.set(location, (keys = new Set()));
  const own = ids.map((id) => DOC_KEY_PREFIX + id);
  for (const k of own) keys.add(k);
  return () => {
    for (const k of own) keys.delete(k);
  };
}

/** Per database (its location): who hears of the docs each write holds (`onDocsWritten`). */
const writeListeners = new Map<string, Set<(ids: string[]) => void>>();

/**
 * Calls `listener` with the ids of the docs every LevelDB batch of the database at `location`
 * writes (new revisions, deletions; not local docs), once the batch is on disk and before
 * PouchDB's write resolves: every writer in the process, replication included, without reading
 * anything back. Returns what stops it.
 */
export function onDocsWritten(location: string, listener: (ids: string[]) => void): () => void {
  let listeners = writeListeners.get(location);
  if (!listeners) writeListeners.set(location, (listeners = new Set()));
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The doc ids a batch writes (their metadata keys), for the write listeners. */
function docIdsOf(ops: { key?: unknown }[]): string[] {
  const ids: string[] = [];
  for (const op of ops) if (typeof op.key === 'string' && op.key.startsWith(DOC_KEY_PREFIX)) ids.push(op.key.slice(DOC_KEY_PREFIX.length));
  return ids;
}

/**
 * LevelDB with every write fsync'd (`sync: true`) before its callback: PouchDB acknowledges a
 * write only once it is on the SD card, so a 201 survives `kill -9` and a power cut.
 * The function's name keys PouchDB's store cache, so it must stay stable.
 */
export function durableLeveldown(location: string): LevelDown {
  const ahead = openedAhead.get(location);
  if (ahead) {
    openedAhead.delete(location);
    return ahead;
  }
  const db = leveldown(location);
  const get = db._get.bind(db);
  const batch = db._batch.bind(db);
  const put = db._put.bind(db);
  const del = db._del.bind(db);
  const open = db._open.bind(db);
  // Four databases on a Pi with 1–2 GB shared with the kiosk: small caches and memtables
  // (LevelDB's defaults are 8 MB and 4 MB each); the OS page cache does the rest.
  db._open = (options, cb) => open({ ...options, cacheSize: 2 * 1024 * 1024, writeBufferSize: 1024 * 1024 }, cb);
  db._get = (key, options, cb) => {
    if (typeof key === 'string' && newDocKeys.get(location)?.has(key)) process.nextTick(cb, NOT_FOUND);
    else get(key, options, cb);
  };
  db._batch = (ops, options, cb) => {
    const fresh = newDocKeys.get(location);
    // From this batch on, LevelDB answers for them.
    if (fresh !== undefined && fresh.size > 0) for (const op of ops) if (typeof op.key === 'string') fresh.delete(op.key);
    const listeners = writeListeners.get(location);
    if (listeners === undefined || listeners.size === 0) batch(ops, { ...options, sync: true }, cb);
    else {
      const ids = docIdsOf(ops);
      batch(ops, { ...options, sync: true }, (err) => {
        if (!err && ids.length > 0) for (const listener of listeners) listener(ids);
        cb(err);
      });
    }
  };
  db._put = (key, value, options, cb) => put(key, value, { ...options, sync: true }, cb);
  db._del = (key, options, cb) => del(key, { ...options, sync: true }, cb);
  return db;
}

/** Databases opened before PouchDB loaded (openAhead), by location, until PouchDB takes them. */
const openedAhead = new Map<string, LevelDown>();

/**
 * Opens the LevelDB at `location` (not creating it: null when there is none) before PouchDB has
 * loaded, to read a few keys at start-up (peek.ts); PouchDB's own open of the same location then
 * takes this one, already open, instead of opening it again: a second open of a LevelDB writes a
 * new manifest and log, each fsync'd, which on an SD card is tens of ms.
 */
export async function openAhead(location: string): Promise<LevelDown | null> {
  // LevelDB's own test of a database being there (its open would make the folder's lock first).
  if (!existsSync(join(location, 'CURRENT'))) return null;
  const db = durableLeveldown(location);
  await new Promise<void>((resolve, reject) => db.open({ createIfMissing: false }, (err) => (err ? reject(err) : resolve())));
  // PouchDB's levelup opens what the factory gives: this one is open already.
  db._open = (_options, cb) => process.nextTick(cb);
  openedAhead.set(location, db);
  return db;
}

/** Closes what openAhead opened and PouchDB did not take (a start that failed before). */
export async function closeAhead(): Promise<void> {
  const left = [...openedAhead.values()];
  openedAhead.clear();
  await Promise.all(left.map((db) => new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())))));
}
