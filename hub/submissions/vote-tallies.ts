import { nullIfNotFound } from '../../content/index.js';
import type { Logger } from '../log/index.js';
import { bulkPut, docsWithPrefix, type Database } from '../storage/index.js';

/** One row of identical votes: the fields a tally reads, as stored (unchecked: replicated and old data count as they are). */
export type VoteRow = Readonly<Record<string, unknown>>;

/** Kept on disk, never replicated: a header, and the counted ids in chunks of their own. */
const HEADER = '_local/vote-tallies';
const chunkId = (k: number) => `${HEADER}:${k}`;
/** 2: rows carry the channel (web, kiosk, sms, paper); older saves are counted again. */
const FORMAT = 2;
const PAGE = 1000;
/** Ids per chunk doc: new votes dirty only the last chunk or two, so a save stays small. */
const CHUNK = 4096;
/** A counted id's code is chunk × ROWS + row (both fit a double exactly). */
const ROWS = 2 ** 24;

/** When the tallies are saved: replaying a few minutes of changes at the next start costs less than saving after each. */
export interface TallySaving {
  /** Saved at most this often while votes come in. */
  everyMs?: number;
  /** …or at once after this many changes (a first count of a large db). */
  afterChanges?: number;
  /**
   * A catch-up further behind than this many changes, and than the votes counted, counts the
   * votes again instead of reading the changes: they are mostly other submissions.
   */
  recountAfter?: number;
}

interface Header {
  format: number;
  seq: number | string;
  rows: VoteRow[];
  /** The hub of each row. */
  hubs: string[];
  /** The save that last wrote each chunk: a chunk that disagrees means the last save did not land whole. */
  versions: number[];
  /** Docs ever counted, which places the next one in its chunk. */
  added: number;
}

interface Chunk {
  version: number;
  ids: string[];
  row: number[];
}

type Change = { id: string; doc?: Record<string, unknown> };

/** The hub of a vote id (`<hubId>:response:…`), or null for any other doc. */
function voteHub(id: string): string | null {
  const colon = id.indexOf(':');
  return colon > 0 && id.startsWith(':response:', colon) ? id.slice(0, colon) : null;
}

/**
 * Running counts of every hub's votes in the submissions db, so a consultation's results do
 * not read every vote. Votes are grouped into rows of identical fields (consultation, option,
 * sex, age band, commune) with a count. The tallies follow the changes feed from the last seq
 * they cover, so writes from any path count: the API, the console, replication, an erasure.
 * Each counted doc id remembers its row, so a deletion or an edit takes back what the doc
 * added even after compaction has dropped the old revision. Kept in memory between calls and
 * saved now and then in `_local` docs with their seq, in one batch; a save lost to a power cut
 * only means catching up from an older seq, which is exact because applying a change twice is
 * harmless.
 */
export class VoteTallies {
  private seq: number | string = 0;
  private readonly rows: VoteRow[] = [];
  private readonly hubs: string[] = [];
  private readonly counts: number[] = [];
  private readonly rowOfKey = new Map<string, number>();
  /** `<hubId> <consultation id>` → its rows. */
  private readonly rowsOf = new Map<string, number[]>();
  /** Doc id → chunk × ROWS + row. */
  private readonly counted = new Map<string, number>();
  private added = 0;
  private readonly dirty = new Set<number>();
  private versions: number[] = [];
  private readonly revs = new Map<string, string>();
  private loaded = false;
  private tail: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;
  private unsaved = 0;
  private savedAt = Date.now();
  private saving: Promise<void> | undefined;
  private closed = false;
  private readonly everyMs: number;
  private readonly afterChanges: number;
  private readonly recountAfter: number;

  constructor(
    private readonly db: Database,
    private readonly log?: Logger,
    saving: TallySaving = {}
  ) {
    this.everyMs = saving.everyMs ?? 30_000;
    this.afterChanges = saving.afterChanges ?? 20_000;
    this.recountAfter = saving.recountAfter ?? PAGE;
    db.once('closed', () => (this.closed = true));
  }

  /** Saves what is not saved yet (before the hub stops), so the next start has nothing to catch up. */
  async flush(): Promise<void> {
    await this.tail.catch(() => undefined);
    await this.saving;
    if (this.unsaved > 0 || this.dirty.size > 0) await this.save();
  }

  /** Resolves once the tallies include every write acknowledged before the call. */
  current(): Promise<void> {
    // A catch-up already reading the feed may have missed the caller's write: callers share the next one.
    if (this.pending) return this.pending;
    const next: Promise<void> = this.tail
      .catch(() => undefined)
      .then(() => {
        if (this.pending === next) this.pending = undefined;
        return this.catchUp();
      });
    this.pending = next;
    this.tail = next;
    return next;
  }

  /** A hub's vote rows in a consultation, each with how many votes it stands for (call `current()` first). */
  votes(hubId: string, consultationId: string): Map<VoteRow, number> {
    const found = new Map<VoteRow, number>();
    for (const i of this.rowsOf.get(`${hubId} ${consultationId}`) ?? []) if (this.counts[i]! > 0) found.set(this.rows[i]!, this.counts[i]!);
    return found;
  }

  private async catchUp(): Promise<void> {
    if (!this.loaded) await this.load();
    const { update_seq: now } = await this.db.info();
    if (this.seq === 0 || this.farBehind(now)) await this.recount(now);
    for (;;) {
      const page = await this.db.changes({ since: this.seq, include_docs: true, limit: PAGE });
      for (const change of page.results) this.apply(change);
      this.seq = page.last_seq;
      this.unsaved += page.results.length;
      if (page.results.length < PAGE) break;
    }
    if (this.unsaved >= this.afterChanges || (this.unsaved > 0 && Date.now() - this.savedAt >= this.everyMs)) void this.save();
  }

  /**
   * More changes to read than votes to count: a burst of registrations (or the writes of a hub
   * that never showed results) since the tallies' seq. The feed decodes every doc it passes,
   * votes or not; counting again reads the votes alone.
   */
  private farBehind(now: number | string): boolean {
    if (typeof now !== 'number' || typeof this.seq !== 'number') return false;
    const gap = now - this.seq;
    return gap > this.recountAfter && gap > this.counted.size;
  }

  /**
   * Counts every vote again from the docs themselves, never reading the other submissions:
   * votes are `<hubId>:response:…`, so each hub's are one range of ids, and the next hub is
   * found by skipping past the last one's ids. The feed then replays from the seq read before,
   * harmless for docs seen twice. Saved at once, so the next start does not count again.
   * `seq`: the db's, read before.
   */
  private async recount(seq: number | string): Promise<void> {
    this.counted.clear();
    this.counts.fill(0);
    this.dirty.clear();
    this.added = 0;
    for (let from = ''; ;) {
      const id = (await this.db.allDocs({ startkey: from, limit: 1 })).rows[0]?.id;
      if (id === undefined) break;
      const colon = id.indexOf(':');
      // An id of no hub (a design doc): the next one.
      if (colon <= 0) {
        from = `${id}\u0000`;
        continue;
      }
      const hubId = id.slice(0, colon);
      // In id order, which LevelDB serves faster than the feed.
      for await (const doc of docsWithPrefix(this.db, `${hubId}:response:`, PAGE)) this.apply({ id: doc._id, doc });
      from = `${hubId}:\uffff`;
    }
    this.seq = seq;
    if (seq !== 0) this.unsaved = Math.max(this.unsaved + 1, this.afterChanges);
  }

  private apply({ id, doc }: Change): void {
    const before = this.counted.get(id);
    if (before !== undefined) {
      this.counts[before % ROWS]! -= 1;
      this.counted.delete(id);
      this.dirty.add(Math.floor(before / ROWS));
    }
    const hubId = voteHub(id);
    if (hubId === null || !doc || doc._deleted || doc.type !== 'response') return;
    const row = this.rowFor(hubId, {
      type: 'response',
      consultation: doc.consultation,
      option: doc.option,
      sex: doc.sex,
      ageBand: doc.ageBand,
      commune: doc.commune,
      channel: doc.channel,
    });
    const chunk = before === undefined ? Math.floor(this.added++ / CHUNK) : Math.floor(before / ROWS);
    this.counts[row]! += 1;
    this.counted.set(id, chunk * ROWS + row);
    this.dirty.add(chunk);
  }

  private rowFor(hubId: string, row: VoteRow): number {
    const fields = JSON.stringify(row);
    // Rows are per hub: the same vote on two hubs is counted in each hub's figures only.
    const key = `${hubId} ${fields}`;
    let i = this.rowOfKey.get(key);
    if (i === undefined) {
      i = this.rows.length;
      // The parsed fields, not `row`: what is counted is exactly what a reload from disk gives back.
      this.rows.push(JSON.parse(fields) as VoteRow);
      this.hubs.push(hubId);
      this.counts.push(0);
      this.rowOfKey.set(key, i);
      const group = `${hubId} ${String(row.consultation)}`;
      const rows = this.rowsOf.get(group);
      if (rows) rows.push(i);
      else this.rowsOf.set(group, [i]);
    }
    return i;
  }

  private async getLocal<T>(id: string): Promise<T | null> {
    const doc = (await this.db.get(id).catch(nullIfNotFound)) as (T & { _rev: string }) | null;
    if (doc) this.revs.set(id, doc._rev);
    return doc;
  }

  private async load(): Promise<void> {
    const header = await this.getLocal<Header>(HEADER);
    if (header?.format === FORMAT && (await this.restore(header))) {
      this.seq = header.seq;
      this.added = header.added;
      this.versions = header.versions;
    } else {
      // Nothing saved, or a save that did not land whole: count everything again, from the start.
      this.counted.clear();
      this.counts.fill(0);
      this.dirty.clear();
    }
    this.loaded = true;
  }

  private async restore(header: Header): Promise<boolean> {
    const rowIndex = header.rows.map((row, i) => this.rowFor(header.hubs[i]!, row));
    for (let k = 0; k < header.versions.length; k += 1) {
      const chunk = await this.getLocal<Chunk>(chunkId(k));
      if (!chunk || chunk.version !== header.versions[k]) return false;
      for (let j = 0; j < chunk.ids.length; j += 1) {
        const row = rowIndex[chunk.row[j]!];
        if (row === undefined) return false;
        this.counted.set(chunk.ids[j]!, k * ROWS + row);
        this.counts[row]! += 1;
      }
    }
    return true;
  }

  /** The header and the chunks that changed, in one batch: the seq and the ids on disk always agree. */
  private save(): Promise<void> {
    if (!this.saving && !this.closed) this.saving = this.write().finally(() => (this.saving = undefined));
    return this.saving ?? Promise.resolve();
  }

  private async write(): Promise<void> {
    // A snapshot taken in one synchronous step, so the seq and the counts agree.
    const version = Math.max(0, ...this.versions) + 1;
    const versions = Array.from({ length: Math.ceil(this.added / CHUNK) }, (_, k) => (this.dirty.has(k) ? version : (this.versions[k] ?? version)));
    const written = new Map<number, Chunk>([...this.dirty].map((k) => [k, { version, ids: [], row: [] }]));
    for (const [id, code] of this.counted) {
      const chunk = written.get(Math.floor(code / ROWS));
      if (!chunk) continue;
      chunk.ids.push(id);
      chunk.row.push(code % ROWS);
    }
    const header: Header = { format: FORMAT, seq: this.seq, rows: [...this.rows], hubs: [...this.hubs], versions, added: this.added };
    const docs = [{ _id: HEADER, ...header }, ...[...written].map(([k, chunk]) => ({ _id: chunkId(k), ...chunk }))];
    const unsaved = this.unsaved;
    this.dirty.clear();
    try {
      // Chunks left by an older save that was not read back (a recount from the start) are overwritten.
      for (const d of docs) if (!this.revs.has(d._id)) await this.getLocal(d._id);
      for (const d of docs) if (this.revs.has(d._id)) Object.assign(d, { _rev: this.revs.get(d._id) });
      for (const r of await bulkPut(this.db, docs)) {
        if ('error' in r && r.error) throw Object.assign(new Error(`${r.id}: ${r.message}`), { status: r.status });
        if (r.id && r.rev) this.revs.set(r.id, r.rev);
      }
      this.versions = versions;
      this.unsaved -= unsaved;
      this.savedAt = Date.now();
    } catch (err) {
      // Only a cost: the next start catches up from the older seq. Try these chunks again next time.
      for (const k of written.keys()) this.dirty.add(k);
      if (this.closed) return;
      this.log?.warn({ err }, 'could not save the vote tallies');
      for (const d of docs) await this.getLocal(d._id);
    }
  }
}
