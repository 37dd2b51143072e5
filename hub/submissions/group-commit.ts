import { bulkDocsNew, type Database } from '../storage/index.js';
import { isDiskFull } from './disk-full.js';

export type Doc = PouchDB.Core.PutDocument<Record<string, unknown>>;
export type WriteResult = PouchDB.Core.Response | PouchDB.Core.Error;

interface Waiting {
  docs: Doc[];
  /** The docs' ids were just made by their writer (see write). */
  fresh: boolean;
  /** Attachment bytes (base64) the docs carry: voice messages. */
  bytes: number;
  resolve(results: WriteResult[]): void;
  reject(err: unknown): void;
}

/** Enough to empty the queue of 200 phones at once; the caps keep one LevelDB batch (and its fsync) short. */
const MAX_DOCS_PER_BATCH = 256;
/** Voice messages are up to 4 MB each: a few per batch, or a burst of them would sit in memory at once under the Pi's heap cap. */
const MAX_ATTACHMENT_BYTES_PER_BATCH = 8 * 1024 * 1024;

function attachmentBytes(docs: Doc[]): number {
  let bytes = 0;
  for (const d of docs) {
    // Most docs carry none: no object made to find that out.
    if (d._attachments === undefined) continue;
    for (const a of Object.values(d._attachments as Record<string, { data?: unknown }>)) bytes += typeof a.data === 'string' ? a.data.length : 0;
  }
  return bytes;
}

/** The ids of the fresh writes' docs (local docs aside: PouchDB never looks them up). */
function newIds(batch: Waiting[]): string[] {
  const ids: string[] = [];
  for (const w of batch) if (w.fresh) for (const d of w.docs) if (d._id !== undefined && !d._id.startsWith('_local/')) ids.push(d._id);
  return ids;
}

/**
 * Group commit. PouchDB's LevelDB adapter writes one batch at a time and the storage fsyncs
 * each one, so writes sent one by one queue up behind each other's fsync. Here, writes that
 * arrive while a batch is on its way to disk wait and go together in the next `bulkDocs`:
 * one LevelDB batch, one fsync. Each caller's promise settles only once the batch holding its
 * docs is durable, with the results of its own docs (a conflict fails that doc alone).
 * A caller's docs always go in the same batch, so they land together or not at all.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  /**
   * `fresh`: the docs' ids were just made by the caller, at random (submissionId), so none is
   * stored and PouchDB need not read LevelDB to look for it (bulkDocsNew). Never for an id a
   * client gave or one fixed by what it names (an interest): those are looked up.
   */
  write(docs: Doc[], fresh = false): Promise<WriteResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ docs, fresh, bytes: attachmentBytes(docs), resolve, reject });
      // Requests read in the same turn of the event loop share the first batch too.
      this.draining ??= new Promise<void>((started) => setImmediate(started)).then(() => this.drain());
    });
  }

  /** Resolves once every write accepted so far is settled (before the database closes). */
  async settled(): Promise<void> {
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.take();
      try {
        const results = await bulkDocsNew(
          this.db,
          batch.flatMap((w) => w.docs),
          newIds(batch)
        );
        let at = 0;
        for (const w of batch) {
          w.resolve(results.slice(at, at + w.docs.length));
          at += w.docs.length;
        }
      } catch (err) {
        await this.failed(batch, err);
      }
    }
    this.draining = undefined;
  }

  /**
   * PouchDB refuses a whole batch for one malformed doc: write each caller's docs alone so
   * only that caller fails. A full disk fails them all alike; retrying would only wear the card.
   */
  private async failed(batch: Waiting[], err: unknown): Promise<void> {
    if (batch.length === 1 || isDiskFull(err)) {
      for (const w of batch) w.reject(err);
      return;
    }
    for (const w of batch) {
      await bulkDocsNew(this.db, w.docs, newIds([w])).then(
        (r) => w.resolve(r),
        (e: unknown) => w.reject(e)
      );
    }
  }

  /** The oldest callers, whole, up to the caps (always at least one). */
  private take(): Waiting[] {
    let docs = 0;
    let bytes = 0;
    let n = 0;
    for (const w of this.waiting) {
      if (n > 0 && (docs + w.docs.length > MAX_DOCS_PER_BATCH || bytes + w.bytes > MAX_ATTACHMENT_BYTES_PER_BATCH)) break;
      docs += w.docs.length;
      bytes += w.bytes;
      n += 1;
    }
    return this.waiting.splice(0, n);
  }
}
