import { preparedJson, type Prepared } from './answer.js';

type Entry = Prepared & { gen: number };

/**
 * Content changes only when a pack lands or sync pulls, so answers are prepared once per
 * content generation (body, ETag, compressed copies on demand) and served from memory until
 * the next change, by the fast path and Express alike. Errors are not cached.
 */
export class JsonCache {
  private readonly entries = new Map<string, Entry>();
  /** Answers being produced: concurrent misses on one key wait for the same one. */
  private readonly producing = new Map<string, { gen: number; entry: Promise<Entry> }>();

  constructor(private readonly maxEntries = 500) {}

  /** The cached answer for `key` if it is of generation `gen` (used by the raw fast path). */
  peek(key: string, gen: number): Prepared | undefined {
    const entry = this.entries.get(key);
    return entry && entry.gen === gen ? entry : undefined;
  }

  /** The answer for `key` at generation `gen`, produced if it is not cached. */
  async get(gen: number, key: string, produce: () => Promise<unknown>): Promise<Prepared> {
    const entry = this.entries.get(key);
    return entry && entry.gen === gen ? entry : this.produceOnce(key, gen, produce);
  }

  /**
   * One production per key and generation however many requests miss at once: after a pack
   * or a sync, 50 phones asking for the same list would otherwise each scan the database.
   */
  private produceOnce(key: string, gen: number, produce: () => Promise<unknown>): Promise<Entry> {
    const running = this.producing.get(key);
    if (running && running.gen === gen) return running.entry;
    const entry = produce().then((value) => {
      const made: Entry = { ...preparedJson(value), gen };
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, made);
      return made;
    });
    const slot = { gen, entry };
    this.producing.set(key, slot);
    // Errors are not cached: the next request after a failure tries again.
    const clear = () => {
      if (this.producing.get(key) === slot) this.producing.delete(key);
    };
    entry.then(clear, clear);
    return entry;
  }
}
