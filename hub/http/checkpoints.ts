import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../content/index.js';

export interface CheckpointLimits {
  /** Checkpoints kept; past it the one written longest ago is forgotten. */
  maxDocs: number;
  /** Bytes of one checkpoint doc as JSON. */
  maxBytes: number;
}

export const CHECKPOINT_LIMITS: CheckpointLimits = { maxDocs: 500, maxBytes: 8 * 1024 };

interface Entry {
  file: string;
  rev: number;
  /** Order of writing (kept in the file: mtimes are too coarse to order writes of one millisecond). */
  seq: number;
}

/** What a file holds: the doc (a replication client's own fields, kept as sent) and when it was written, in order. */
const StoredFile = z.object({
  seq: z.number(),
  doc: z.looseObject({ _id: z.string(), _rev: z.string() }),
});

type LocalDoc = z.infer<typeof StoredFile>['doc'];

/**
 * The `_local/` documents replication clients write on `/db/content` (their checkpoints),
 * kept apart from the content: one small file each under `<dir>`, never in a database,
 * never replicated. Bounded so a stranger cannot fill the card: `maxDocs` files of at most
 * `maxBytes`, the least recently written forgotten first (its client then compares from
 * the start again — slower, never wrong). Revisions are "0-N" as in CouchDB; a write with a
 * stale `_rev` gets 409, as the replicators expect. Not fsync'd: a checkpoint lost to a
 * power cut only costs a re-comparison.
 */
export class CheckpointStore {
  private index: Promise<Map<string, Entry>> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;

  constructor(
    private readonly dir: string,
    private readonly limits: CheckpointLimits = CHECKPOINT_LIMITS
  ) {}

  private fileOf(id: string): string {
    return `${createHash('sha256').update(id).digest('hex')}.json`;
  }

  /** The index entry of a file read back, or null when it is not the checkpoint its name says. */
  private entryOf({ seq, doc }: z.infer<typeof StoredFile>, file: string): (Entry & { id: string }) | null {
    const rev = Number(/^0-(\d+)$/.exec(doc._rev)?.[1]);
    const id = doc._id.startsWith('_local/') ? doc._id.slice('_local/'.length) : undefined;
    return id !== undefined && this.fileOf(id) === file && rev > 0 && Number.isFinite(seq) ? { id, file, rev, seq } : null;
  }

  private load(): Promise<Map<string, Entry>> {
    this.index ??= (async () => {
      const map = new Map<string, Entry>();
      await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
      const files = (await fsp.readdir(this.dir)).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
      const found: (Entry & { id: string })[] = [];
      for (const file of files) {
        try {
          const stored = StoredFile.safeParse(JSON.parse(await fsp.readFile(join(this.dir, file), 'utf8')));
          const entry = stored.success ? this.entryOf(stored.data, file) : null;
          if (entry) found.push(entry);
          else await fsp.rm(join(this.dir, file), { force: true });
        } catch {
          // Half-written or damaged: a checkpoint is only a hint, drop it.
          await fsp.rm(join(this.dir, file), { force: true });
        }
      }
      for (const e of found.sort((a, b) => a.seq - b.seq)) map.set(e.id, { file: e.file, rev: e.rev, seq: e.seq });
      this.seq = Math.max(this.seq, ...found.map((e) => e.seq));
      return map;
    })();
    return this.index;
  }

  async get(id: string): Promise<LocalDoc | null> {
    const entry = (await this.load()).get(id);
    if (!entry) return null;
    try {
      const stored = StoredFile.safeParse(JSON.parse(await fsp.readFile(join(this.dir, entry.file), 'utf8')));
      // A file of another shape holds no checkpoint (load() drops such files at the next start).
      return stored.success ? stored.data.doc : null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Writes one at a time, so revisions and the count stay exact. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => {});
    return next;
  }

  put(id: string, body: Record<string, unknown>): Promise<{ rev: string }> {
    return this.serial(async () => {
      const index = await this.load();
      const entry = index.get(id);
      const sent = body._rev;
      if (entry ? sent !== `0-${entry.rev}` : sent !== undefined && sent !== '0-0') {
        throw new AppError(409, 'conflict', 'Document update conflict: read the checkpoint again and send its current _rev');
      }
      const rev = (entry?.rev ?? 0) + 1;
      const doc = { ...body, _id: `_local/${id}`, _rev: `0-${rev}` };
      const text = JSON.stringify(doc);
      if (Buffer.byteLength(text) > this.limits.maxBytes) {
        throw new AppError(413, 'checkpoint-too-large', `a checkpoint here holds at most ${this.limits.maxBytes} bytes; keep only the latest history entries`);
      }
      const file = this.fileOf(id);
      const tmp = join(this.dir, `.${file}.${randomBytes(4).toString('hex')}.tmp`);
      const seq = Math.max(this.seq + 1, Date.now());
      this.seq = seq;
      await fsp.writeFile(tmp, `{"seq":${seq},"doc":${text}}`, { mode: 0o600 });
      await fsp.rename(tmp, join(this.dir, file));
      index.delete(id);
      index.set(id, { file, rev, seq });
      // Oldest first in the map: forget the least recently written past the cap.
      while (index.size > this.limits.maxDocs) {
        const first = index.entries().next();
        if (first.done) break;
        const [oldId, old] = first.value;
        index.delete(oldId);
        await fsp.rm(join(this.dir, old.file), { force: true });
      }
      return { rev: `0-${rev}` };
    });
  }

  remove(id: string, rev: unknown): Promise<void> {
    return this.serial(async () => {
      const index = await this.load();
      const entry = index.get(id);
      if (!entry) throw new AppError(404, 'not-found', 'no such checkpoint');
      if (rev !== `0-${entry.rev}`) throw new AppError(409, 'conflict', "Document update conflict: send the checkpoint's current rev");
      index.delete(id);
      await fsp.rm(join(this.dir, entry.file), { force: true });
    });
  }

  /** How many checkpoints are kept now. */
  async size(): Promise<number> {
    return (await this.load()).size;
  }
}
