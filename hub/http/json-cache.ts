import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

interface Entry {
  gen: number;
  body: string;
  etag: string;
}

/**
 * Content changes only when a pack lands or sync pulls, so answers are serialised once per
 * content generation and served from memory (with an ETag for a 304) until the next change.
 * Errors are not cached.
 */
export class JsonCache {
  private readonly entries = new Map<string, Entry>();
  /** Answers being produced: concurrent misses on one key wait for the same one. */
  private readonly producing = new Map<string, { gen: number; entry: Promise<Entry> }>();

  constructor(private readonly maxEntries = 500) {}

  /** The cached answer for `key` if it is of generation `gen` (used by the raw fast path). */
  peek(key: string, gen: number): { body: string; etag: string } | undefined {
    const entry = this.entries.get(key);
    return entry && entry.gen === gen ? entry : undefined;
  }

  async send(req: Request, res: Response, gen: number, key: string, produce: () => Promise<unknown>): Promise<void> {
    let entry = this.entries.get(key);
    if (!entry || entry.gen !== gen) entry = await this.produceOnce(key, gen, produce);
    res.set('ETag', entry.etag);
    res.set('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === entry.etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json; charset=utf-8').send(entry.body);
  }

  /**
   * One production per key and generation however many requests miss at once: after a pack
   * or a sync, 50 phones asking for the same list would otherwise each scan the database.
   */
  private produceOnce(key: string, gen: number, produce: () => Promise<unknown>): Promise<Entry> {
    const running = this.producing.get(key);
    if (running && running.gen === gen) return running.entry;
    const entry = produce().then((value) => {
      const body = JSON.stringify(value);
      const made = { gen, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
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
