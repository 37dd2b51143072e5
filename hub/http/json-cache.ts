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

  constructor(private readonly maxEntries = 500) {}

  /** The cached answer for `key` if it is of generation `gen` (used by the raw fast path). */
  peek(key: string, gen: number): { body: string; etag: string } | undefined {
    const entry = this.entries.get(key);
    return entry && entry.gen === gen ? entry : undefined;
  }

  async send(req: Request, res: Response, gen: number, key: string, produce: () => Promise<unknown>): Promise<void> {
    let entry = this.entries.get(key);
    if (!entry || entry.gen !== gen) {
      const body = JSON.stringify(await produce());
      entry = { gen, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, entry);
    }
    res.set('ETag', entry.etag);
    res.set('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === entry.etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json; charset=utf-8').send(entry.body);
  }
}
