import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// PouchDB 9's own LevelDB binding (prebuilt binaries for linux-x64 and linux-arm64).
const leveldown = require('leveldown') as (location: string) => LevelDown;

interface LevelDown {
  _open(options: Record<string, unknown>, cb: (err?: Error) => void): void;
  _batch(ops: unknown[], options: Record<string, unknown>, cb: (err?: Error) => void): void;
  _put(key: unknown, value: unknown, options: Record<string, unknown>, cb: (err?: Error) => void): void;
  _del(key: unknown, options: Record<string, unknown>, cb: (err?: Error) => void): void;
}

/**
 * LevelDB with every write fsync'd (`sync: true`) before its callback: PouchDB acknowledges a
 * write only once it is on the SD card, so a 201 survives `kill -9` and a power cut.
 * The function's name keys PouchDB's store cache, so it must stay stable.
 */
export function durableLeveldown(location: string): LevelDown {
  const db = leveldown(location);
  const batch = db._batch.bind(db);
  const put = db._put.bind(db);
  const del = db._del.bind(db);
  const open = db._open.bind(db);
  // Four databases on a Pi with 1–2 GB shared with the kiosk: small caches and memtables
  // (LevelDB's defaults are 8 MB and 4 MB each); the OS page cache does the rest.
  db._open = (options, cb) => open({ ...options, cacheSize: 2 * 1024 * 1024, writeBufferSize: 1024 * 1024 }, cb);
  db._batch = (ops, options, cb) => batch(ops, { ...options, sync: true }, cb);
  db._put = (key, value, options, cb) => put(key, value, { ...options, sync: true }, cb);
  db._del = (key, options, cb) => del(key, { ...options, sync: true }, cb);
  return db;
}
