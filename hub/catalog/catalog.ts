import {
  AppError,
  CONTENT_TYPES,
  catalogDocOf,
  contentOf,
  type CatalogDoc,
  type ContentOf,
  type ContentType,
  isContentType,
  isNotFound,
} from '../../content/boot.js';
import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';
import { Translations } from './translations.js';

/** A doc of the content db, or its deletion (also what a doc that is no content any more reads as). */
export type CatalogChange = CatalogDoc | { _id: string; _deleted: true };

/** A change of the content db: the doc (or its deletion) and its update sequence. */
export type ChangeListener = (doc: CatalogChange, seq: number | string) => void;

/** How the content changes feed is doing, for /health. */
export interface FeedStatus {
  state: 'following' | 'reconnecting' | 'stopped';
  /** Times the feed failed and was followed again since start. */
  restarts: number;
  lastError: { message: string; at: string } | null;
}

/** First pause before following a failed feed again; doubled each failure in a row, up to the cap. */
const FEED_RETRY_MS = 250;
const FEED_RETRY_CAP_MS = 30_000;

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
  private watching = false;
  /** The last change seen: a feed followed again starts from here, so no change is missed. */
  private since: number | string = 'now';
  private failuresInRow = 0;
  private retry: NodeJS.Timeout | undefined;
  private readonly feedStatus: FeedStatus = { state: 'stopped', restarts: 0, lastError: null };

  /** Accepted studio contributions, laid over the docs they are about when read. */
  readonly translations: Translations;

  constructor(
    private readonly db: Database,
    private readonly log: Logger
  ) {
    this.translations = new Translations(db);
  }

  /**
   * Follows the content db so caches and the search index stay current. When the feed fails
   * it is logged and followed again from the last change seen, after a pause that grows with
   * each failure in a row: until then the generation has moved, so nothing is served from a
   * cache that may be stale. With `since` (an update sequence read earlier), it starts from there
   * rather than from now: the hub starts following only once its first search is answered,
   * from the sequence its search index started at, so no change made meanwhile is missed.
   */
  watch(since?: number | string): void {
    if (this.watching) return;
    this.watching = true;
    if (since !== undefined) this.since = since;
    this.follow();
  }

  private follow(): void {
    const feed = this.db.changes({ live: true, since: this.since, include_docs: true });
    this.feed = feed;
    this.feedStatus.state = 'following';
    void feed.on('change', (change) => {
      this.gen += 1;
      this.since = change.seq;
      this.failuresInRow = 0;
      if (change.id.startsWith('_')) return;
      const doc = changed(change.id, change.deleted, change.doc);
      this.translations.apply(doc);
      for (const fn of this.listeners) fn(doc, change.seq);
    });
    void feed.on('error', (err: unknown) => {
      if (this.feed !== feed) return;
      feed.cancel();
      this.feed = undefined;
      // Changes may pass while nobody follows: caches keyed on the generation read again.
      this.gen += 1;
      if (!this.watching) return;
      this.failuresInRow += 1;
      const waitMs = Math.min(FEED_RETRY_CAP_MS, FEED_RETRY_MS * 2 ** (this.failuresInRow - 1)) * (0.75 + Math.random() * 0.5);
      const message = err instanceof Error ? err.message : String(err);
      this.feedStatus.state = 'reconnecting';
      this.feedStatus.restarts += 1;
      this.feedStatus.lastError = { message, at: new Date().toISOString() };
      this.log.error({ err, retryInMs: Math.round(waitMs), since: this.since }, 'the content changes feed failed; following it again');
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (this.watching) this.follow();
      }, waitMs);
      this.retry.unref();
    });
  }

  unwatch(): void {
    this.watching = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.feed?.cancel();
    this.feed = undefined;
    this.feedStatus.state = 'stopped';
  }

  /** The content feed's state, restarts and last error (shown in /health). */
  feedHealth(): FeedStatus {
    return structuredClone(this.feedStatus);
  }

  onChange(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get generation(): number {
    return this.gen;
  }

  /** One page of a type, in id order, and how many docs the type has: only the page's docs are read. */
  async list<K extends ContentType>(type: K, { limit, skip }: ListOptions): Promise<{ items: ContentOf<K>[]; total: number }> {
    const [page, total] = await Promise.all([
      this.db.allDocs({ ...range(type), include_docs: true, limit, skip }),
      this.count(type),
      this.translations.ready(),
    ]);
    return { items: rowsOf(page.rows, type).map((d) => this.translations.overlay(d)), total };
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
  async all<K extends ContentType>(type: K): Promise<ContentOf<K>[]> {
    const all: ContentOf<K>[] = [];
    for await (const page of this.pages(type)) {
      for (const doc of page) {
        const typed = contentOf(doc, type);
        if (typed) all.push(typed);
      }
    }
    return all;
  }

  /**
   * The doc of a content id, with its accepted translations laid over; a 400 for what is not a
   * content id, a 404 when there is none. The id's prefix names the type: a literal prefix
   * (`catalog.get(\`course:${slug}\`)`) types the answer, and a stored doc of another type in
   * that range is not found.
   */
  async get<K extends ContentType>(id: `${K}:${string}`): Promise<ContentOf<K>>;
  async get(id: string): Promise<ContentOf<ContentType>>;
  async get(id: string): Promise<ContentOf<ContentType>> {
    const type = id.split(':', 1)[0];
    if (!isContentType(type) || !/^[a-z]+:[a-z0-9][a-z0-9-]{0,80}$/.test(id)) {
      throw new AppError(
        400,
        'bad-content-id',
        `"${id.slice(0, 100)}" is not a content id; ids look like "course:gouvernance-locale" (types: ${CONTENT_TYPES.join(', ')})`
      );
    }
    const doc = await this.maybe(id);
    if (!doc) throw new AppError(404, 'content-not-found', `no content with id "${id}" on this hub`);
    return doc;
  }

  /** The doc of a content id (typed as `get` types it), or null when there is none. */
  async maybe<K extends ContentType>(id: `${K}:${string}`): Promise<ContentOf<K> | null>;
  async maybe(id: string): Promise<ContentOf<ContentType> | null>;
  async maybe(id: string): Promise<ContentOf<ContentType> | null> {
    const type = id.split(':', 1)[0];
    try {
      const [doc] = await Promise.all([this.db.get(id), this.translations.ready()]);
      const typed = isContentType(type) ? contentOf(doc, type) : null;
      return typed && this.translations.overlay(typed);
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
  pages<K extends ContentType>(type: K, size?: number): AsyncGenerator<ContentOf<K>[]>;
  pages(type?: undefined, size?: number): AsyncGenerator<CatalogDoc[]>;
  async *pages(type?: ContentType, size = 200): AsyncGenerator<CatalogDoc[]> {
    const bounds = type ? range(type) : {};
    let after: string | undefined;
    for (;;) {
      const res = await this.db.allDocs({ ...bounds, include_docs: true, limit: size, ...(after ? { startkey: after, skip: 1 } : {}) });
      if (res.rows.length === 0) return;
      // Design docs, and docs whose type does not match their id's range, are no content.
      yield type ? rowsOf(res.rows, type) : res.rows.flatMap((r) => catalogDocOf(r.doc) ?? []);
      after = res.rows[res.rows.length - 1]!.id;
    }
  }

  /** The content db's update sequence now. */
  async updateSeq(): Promise<number | string> {
    return (await this.db.info()).update_seq;
  }

  /** Changes after `since` with their docs (design docs left out), at most `limit`. */
  async changesSince(since: number | string, limit: number): Promise<{ changes: CatalogChange[]; lastSeq: number | string; more: boolean }> {
    const res = await this.db.changes({ since, limit, include_docs: true });
    const changes = res.results.filter((c) => !c.id.startsWith('_')).map((c) => changed(c.id, c.deleted, c.doc));
    // Counted before design docs are left out: a full page means more may follow.
    return { changes, lastSeq: res.last_seq, more: res.results.length === limit };
  }

  /** Every content doc (tests and small tools; the hub itself reads by pages). */
  async everything(): Promise<CatalogDoc[]> {
    const all: CatalogDoc[] = [];
    for await (const page of this.pages()) all.push(...page);
    return all;
  }
}

/**
 * A feed's change as readers see it: a doc that is not (or no longer) content of the type its id
 * names reads as deleted, as `get` does not find it, so a cache or the search index drops it.
 */
function changed(id: string, deleted: boolean | undefined, doc: unknown): CatalogChange {
  const typed = deleted ? null : catalogDocOf(doc);
  return typed ?? { _id: id, _deleted: true };
}

/** The docs of a page of one type (those of another type in its range left out). */
function rowsOf<K extends ContentType>(rows: readonly { doc?: unknown }[], type: K): ContentOf<K>[] {
  return rows.flatMap((r) => contentOf(r.doc, type) ?? []);
}

/** Ids are "<type>:<slug>": a type is one key range. */
function range(type: ContentType): { startkey: string; endkey: string } {
  return { startkey: `${type}:`, endkey: `${type}:\ufff0` };
}
