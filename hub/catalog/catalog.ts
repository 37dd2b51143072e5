import { AppError, CONTENT_TYPES, type ContentDoc, type ContentType, isContentType, isNotFound } from '../../content/index.js';
import type { Database } from '../storage/index.js';

/** A change of the content db: the doc (or its deletion) and its update sequence. */
export type ChangeListener = (doc: ContentDoc | { _id: string; _deleted: true }, seq: number | string) => void;

export interface ListOptions {
  limit: number;
  skip: number;
}

/**
 * Reads published content. Ids are "<type>:<slug>", so a type is an id range and a list
 * needs no index. A generation counter moves on every change so callers can cache.
 */
export class Catalog {
  private gen = 0;
  private readonly listeners = new Set<ChangeListener>();
  private feed: PouchDB.Core.Changes<Record<string, unknown>> | undefined;
  private readonly counts = new Map<ContentType, { gen: number; total: Promise<number> }>();

  constructor(private readonly db: Database) {}

  /** Follows the content db so caches and the search index stay current. */
  watch(): void {
    if (this.feed) return;
    this.feed = this.db.changes({ live: true, since: 'now', include_docs: true });
    this.feed.on('change', (change) => {
      this.gen += 1;
      if (change.id.startsWith('_')) return;
      const doc = change.deleted ? { _id: change.id, _deleted: true as const } : (change.doc as unknown as ContentDoc);
      for (const fn of this.listeners) fn(doc, change.seq);
    });
    this.feed.on('error', () => {
      this.feed = undefined;
    });
  }

  unwatch(): void {
    this.feed?.cancel();
    this.feed = undefined;
  }

  onChange(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get generation(): number {
    return this.gen;
  }

  /** One page of a type, in id order, and how many docs the type has: only the page's docs are read. */
  async list(type: ContentType, { limit, skip }: ListOptions): Promise<{ items: ContentDoc[]; total: number }> {
    const [page, total] = await Promise.all([this.db.allDocs({ ...range(type), include_docs: true, limit, skip }), this.count(type)]);
    return { items: page.rows.map((r) => r.doc as unknown as ContentDoc), total };
  }

  /** How many docs a type has: its keys counted without their docs (once per generation while watching). */
  count(type: ContentType): Promise<number> {
    const known = this.counts.get(type);
    if (this.feed && known && known.gen === this.gen) return known.total;
    const total = this.db.allDocs(range(type)).then((res) => res.rows.length);
    if (!this.feed) return total;
    this.counts.set(type, { gen: this.gen, total });
    total.catch(() => this.counts.delete(type));
    return total;
  }

  /**
   * Every doc of a type (for pages that need them all: officials of a commune, events…),
   * read by pages: 10 000 docs decoded in one allDocs held the event loop for seconds.
   */
  async all<T extends ContentDoc = ContentDoc>(type: ContentType): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages(type)) all.push(...(page as T[]));
    return all;
  }

  async get<T extends ContentDoc = ContentDoc>(id: string): Promise<T> {
    const type = id.split(':', 1)[0];
    if (!isContentType(type) || !/^[a-z]+:[a-z0-9][a-z0-9-]{0,80}$/.test(id)) {
      throw new AppError(400, 'bad-content-id', `"${id.slice(0, 100)}" is not a content id; ids look like "course:gouvernance-locale" (types: ${CONTENT_TYPES.join(', ')})`);
    }
    try {
      return (await this.db.get(id)) as unknown as T;
    } catch (e) {
      if (isNotFound(e)) throw new AppError(404, 'content-not-found', `no content with id "${id}" on this hub`);
      throw e;
    }
  }

  async maybe<T extends ContentDoc = ContentDoc>(id: string): Promise<T | null> {
    try {
      return (await this.db.get(id)) as unknown as T;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /**
   * Every content doc (or every doc of one type), a page at a time, so the whole db is never
   * in memory at once. A page of 500 docs is decoded in one go and held the event loop
   * 30–100 ms on one core; 200 stays under 20 ms for the same total time.
   */
  async *pages(type?: ContentType, size = 200): AsyncGenerator<ContentDoc[]> {
    const bounds = type ? range(type) : {};
    let after: string | undefined;
    for (;;) {
      const res = await this.db.allDocs({ ...bounds, include_docs: true, limit: size, ...(after ? { startkey: after, skip: 1 } : {}) });
      if (res.rows.length === 0) return;
      yield res.rows.filter((r) => !r.id.startsWith('_')).map((r) => r.doc as unknown as ContentDoc);
      after = res.rows[res.rows.length - 1]!.id;
    }
  }

  /** The content db's update sequence now. */
  async updateSeq(): Promise<number | string> {
    return (await this.db.info()).update_seq;
  }

  /** Changes after `since` with their docs (design docs left out), at most `limit`. */
  async changesSince(since: number | string, limit: number): Promise<{ changes: (ContentDoc | { _id: string; _deleted: true })[]; lastSeq: number | string; more: boolean }> {
    const res = await this.db.changes({ since, limit, include_docs: true });
    const changes = res.results
      .filter((c) => !c.id.startsWith('_'))
      .map((c) => (c.deleted ? { _id: c.id, _deleted: true as const } : (c.doc as unknown as ContentDoc)));
    // Counted before design docs are left out: a full page means more may follow.
    return { changes, lastSeq: res.last_seq, more: res.results.length === limit };
  }

  /** Every content doc (tests and small tools; the hub itself reads by pages). */
  async everything(): Promise<ContentDoc[]> {
    const all: ContentDoc[] = [];
    for await (const page of this.pages()) all.push(...page);
    return all;
  }
}

/** Ids are "<type>:<slug>": a type is one key range. */
function range(type: ContentType): { startkey: string; endkey: string } {
  return { startkey: `${type}:`, endkey: `${type}:\ufff0` };
}
