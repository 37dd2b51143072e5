/// <reference types="pouchdb" />
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Logger } from '../log/index.js';
import { durableLeveldown } from './durable-leveldown.js';

const require = createRequire(import.meta.url);
const PouchDB = require('pouchdb') as PouchDB.Static;

export const DB_NAMES = ['content', 'media', 'submissions', 'fleet'] as const;
export type DbName = (typeof DB_NAMES)[number];
export type Database = PouchDB.Database<Record<string, unknown>>;
export type Databases = Record<DbName, Database>;

/** PouchDB itself, for code that must build a remote or a replication (sync, tests). */
export function pouchConstructor(): PouchDB.Static {
  return PouchDB;
}

/** Opens (creating when new) the four databases under `<dataDir>/db/`. */
export async function openDatabases(dataDir: string, log: Logger): Promise<Databases> {
  const dir = join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const dbs = {} as Databases;
  for (const name of DB_NAMES) {
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
  log.debug({ dir }, 'databases open');
  return dbs;
}

export async function closeDatabases(dbs: Databases): Promise<void> {
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
