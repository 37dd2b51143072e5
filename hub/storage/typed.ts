import type { z } from 'zod';
import { AppError, isNotFound, nullIfNotFound } from '../../content/boot.js';
import type { Database } from './databases.js';
import { markNew, onDocsWritten } from './durable-leveldown.js';

/**
 * How a stored doc becomes typed: a narrowing from content/schema (`asSubmission('member')`,
 * `asContent('event')`, `anySubmissionOf`…) that answers the typed doc, or null for a doc that
 * is not of that kind. The databases hold `Record<string, unknown>`; these reads are the one
 * boundary where a doc read from disk or replication gets its schema's type.
 */
export type Narrow<T> = (doc: unknown) => T | null;

/** A doc as read back: PouchDB always gives its id and revision. */
export type Stored<T> = T & { _id: string; _rev: string };

/** The doc of `id` narrowed, or null when there is none or it is of another kind; a disk error is thrown. */
export async function maybeDoc<T>(db: Database, id: string, narrow: Narrow<T>): Promise<Stored<T> | null> {
  try {
    return narrow(await db.get(id)) as Stored<T> | null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

/** The doc of `id` narrowed; a 404 AppError (`code`, `message`) when there is none or it is of another kind. */
export async function getDoc<T>(
  db: Database,
  id: string,
  narrow: Narrow<T>,
  code = 'not-found',
  message = `no document "${id}" on this hub`
): Promise<Stored<T>> {
  const doc = await maybeDoc(db, id, narrow);
  if (doc === null) throw new AppError(404, code, message);
  return doc;
}

/** The docs of an allDocs answer (with include_docs) narrowed, those of another kind (or deleted) left out. */
export function rowsOf<T>(rows: readonly { doc?: unknown }[], narrow: Narrow<T>): Stored<T>[] {
  const out: Stored<T>[] = [];
  for (const r of rows) {
    const doc = r.doc === undefined || r.doc === null ? null : (narrow(r.doc) as Stored<T> | null);
    if (doc !== null) out.push(doc);
  }
  return out;
}

/**
 * Writes a typed doc. The databases are typed as holding plain records, which a doc typed by an
 * interface (the SMS room's) or a schema with loosely typed attachments is not assignable to;
 * this is the one place a typed doc is handed to PouchDB, checked by its writer's schema.
 */
/** Writes typed docs in one batch (see putDoc); the results in the same order. */
export function bulkPut(db: Database, docs: readonly { _id: string; _rev?: string }[]): Promise<(PouchDB.Core.Response | PouchDB.Core.Error)[]> {
  return db.bulkDocs(docs as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
}

/**
 * bulkDocs for a batch in which the docs `newIds` are new: ids their writer has just made,
 * random, so never stored. PouchDB reads every doc's revisions from LevelDB before writing it;
 * for these it is told "not found" without the read (a read per registration was a tenth of
 * the hub's CPU in a flood of them). The other docs of the batch are looked up as ever.
 */
export async function bulkDocsNew(
  db: Database,
  docs: PouchDB.Core.PutDocument<Record<string, unknown>>[],
  newIds: readonly string[]
): Promise<(PouchDB.Core.Response | PouchDB.Core.Error)[]> {
  if (newIds.length === 0) return db.bulkDocs(docs);
  const forget = markNew(db.name, newIds);
  try {
    return await db.bulkDocs(docs);
  } finally {
    forget();
  }
}

/**
 * Hears of every doc written to `db` in this process (see onDocsWritten): the ids of each
 * batch, once on disk. Returns what stops it.
 */
export function watchWrites(db: Database, listener: (ids: string[]) => void): () => void {
  return onDocsWritten(db.name, listener);
}

/**
 * A bulk write's outcome: the first refused write (its `status`, `message`), or every doc's new
 * revision in the order written.
 */
export function bulkWritten(results: readonly (PouchDB.Core.Response | PouchDB.Core.Error)[]): { failed: PouchDB.Core.Error } | { revs: string[] } {
  const revs: string[] = [];
  for (const r of results) {
    if ('error' in r && r.error) return { failed: r };
    if (r.rev === undefined) return { failed: { ...r, error: true, message: `no revision for ${r.id ?? 'a doc'}` } };
    revs.push(r.rev);
  }
  return { revs };
}

// T takes the doc as it is typed, so a literal with its fields is not refused for naming more than _id.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- see above
export function putDoc<T extends { _id: string; _rev?: string }>(db: Database, doc: T): Promise<PouchDB.Core.Response> {
  return db.put(doc as PouchDB.Core.PutDocument<Record<string, unknown>>);
}

/**
 * A narrowing by a zod schema, for docs without a content/schema type of their own (a hub's
 * local bookkeeping: counters, snapshots, keys). The doc's other fields (`_id`, `_rev`) stay:
 * give a loose object schema (`z.looseObject`).
 */
export function narrowWith<T>(schema: z.ZodType<T>): Narrow<T> {
  return (doc) => {
    const parsed = schema.safeParse(doc);
    return parsed.success ? parsed.data : null;
  };
}

/** A file attached to a doc, read in full. */
export interface BinaryAttachment {
  mime: string;
  data: Buffer;
}

/**
 * The doc of `id` with its attachments read in full (binary): its fields and its files by
 * name, or null when there is none; a disk error is thrown.
 */
export async function withAttachments(db: Database, id: string): Promise<{ doc: Record<string, unknown>; files: Map<string, BinaryAttachment> } | null> {
  const doc = await db.get(id, { attachments: true, binary: true }).catch(nullIfNotFound);
  if (!doc) return null;
  const files = new Map<string, BinaryAttachment>();
  for (const [name, a] of Object.entries(doc._attachments ?? {})) {
    if ('data' in a && Buffer.isBuffer(a.data)) files.set(name, { mime: a.content_type, data: a.data });
  }
  return { doc, files };
}
