import { join } from 'node:path';
import { openAhead, type LevelDown } from './durable-leveldown.js';

/** Where the database `name` lives under a data dir (openDatabases opens the same). */
export function dbLocation(dataDir: string, name: string): string {
  return join(dataDir, 'db', name);
}

/**
 * PouchDB's LevelDB layout (pouchdb 9, adapter leveldb): each store is a sublevel whose keys are
 * prefixed `ÿ<store>ÿ` (U+00FF, UTF-8), values are JSON. The meta store keeps the update sequence
 * and the doc count that db.info() answers; the local store keeps `_local/` docs under their id.
 * tests/unit/hub/storage/peek.test.ts holds these against PouchDB's own answers.
 */
const META = '\u00ffmeta-store\u00ff';
const LOCAL = '\u00fflocal-store\u00ff';
const UPDATE_SEQ_KEY = `${META}_local_last_update_seq`;
const DOC_COUNT_KEY = `${META}_local_doc_count`;
/** Written by PouchDB at every open: a db without it is not one PouchDB (2 or later) has opened. */
const UUID_KEY = `${META}_local_uuid`;

/** What a database holds, read without PouchDB: what db.info() would say, and which of some `_local/` docs exist. */
export interface Peek {
  updateSeq: number;
  docCount: number;
  /** Of the `_local/` ids asked about, those the database holds. */
  locals: Set<string>;
}

/**
 * Reads the update sequence, the doc count and whether some `_local/` docs exist in the database
 * `name` under `dataDir`, straight from LevelDB, before PouchDB (~30 ms of CPU to load here,
 * four times that on a Pi's core) has loaded: what the hub needs to know whether its search
 * snapshot is current and whether content must be prepared before it serves (hub/main.ts). The
 * database stays open for PouchDB to take (openAhead). Null when there is no such database or it
 * lacks what PouchDB writes when it opens one: the caller opens it with PouchDB instead.
 */
export async function peekDatabase(dataDir: string, name: string, localIds: readonly string[]): Promise<Peek | null> {
  const db = await openAhead(dbLocation(dataDir, name));
  if (!db || (await getJson(db, UUID_KEY)) === undefined) return null;
  // As PouchDB reads them (0 until its first write).
  const updateSeq = (await getJson(db, UPDATE_SEQ_KEY)) ?? 0;
  const docCount = (await getJson(db, DOC_COUNT_KEY)) ?? 0;
  if (typeof updateSeq !== 'number' || typeof docCount !== 'number') return null;
  const locals = new Set<string>();
  for (const id of localIds) if ((await getJson(db, LOCAL + id)) !== undefined) locals.add(id);
  return { updateSeq, docCount, locals };
}

/** The JSON value at `key`, undefined when there is none. */
function getJson(db: LevelDown, key: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    db.get(key, { asBuffer: false }, (err, value) => {
      if (err) {
        if (/NotFound/.test(err.message)) resolve(undefined);
        else reject(err);
      } else resolve(JSON.parse(value as string) as unknown);
    })
  );
}
