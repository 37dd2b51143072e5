import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError, MediaMeta, mediaMetaOf, mediaNamedBy, nullIfNotFound } from '../../content/index.js';
import { maybeDoc, type Database, type MediaStore } from '../storage/index.js';
import { budgetReached, fromCentralStatus } from './errors.js';
import type { ByteMeter } from './meter.js';
import type { FetchLike } from './transport.js';

/** Request and response headers of one ranged GET, kept free in the budget so the last chunk fits. */
const REQUEST_OVERHEAD = 1024;

/** Every media hash the hub's content refers to (any field holding a sha256). */
export async function referencedMedia(content: Database): Promise<Set<string>> {
  const found = new Set<string>();
  const all = await content.allDocs({ include_docs: true });
  for (const row of all.rows) if (!row.id.startsWith('_design/')) mediaNamedBy(row.doc, found);
  return found;
}

export interface MediaFetcherOptions {
  centralUrl: string;
  authorization: string;
  fetch: FetchLike;
  meter: ByteMeter;
  store: MediaStore;
  mediaDb: Database;
  partialDir: string;
  chunkBytes: number;
}

interface Wanted {
  sha256: string;
  size: number;
  priority: number;
}

/**
 * Fetches the media files the content needs, highest priority (1) first, by ranged GETs on
 * central's attachment URLs into a partial file that survives cuts and restarts; a file enters
 * the MediaStore only once its sha256 matches.
 */
export class MediaFetcher {
  constructor(private readonly o: MediaFetcherOptions) {}

  /** The metadata of one file as the hub holds it (null when central has none either). */
  private async meta(sha256: string): Promise<Wanted | null> {
    // A disk error is surfaced; only a file the hub has no metadata for is null.
    const local = await maybeDoc(this.o.mediaDb, `media:${sha256}`, mediaMetaOf);
    // Central validates without filling defaults: a media doc made there may have no priority.
    return local && { sha256, size: local.size, priority: local.priority ?? 3 };
  }

  /** Central's metadata of many files in one request per 200 (a round trip costs 600 ms on 3G), kept locally. */
  private async fetchMetas(hashes: string[]): Promise<void> {
    for (let i = 0; i < hashes.length; i += 200) {
      const keys = hashes.slice(i, i + 200).map((h) => `media:${h}`);
      const res = await this.o.fetch(`${this.o.centralUrl}/media/_all_docs?include_docs=true`, {
        method: 'POST',
        headers: { Authorization: this.o.authorization, Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ keys }),
      });
      const body = (await res.json().catch(() => ({}))) as { rows?: { doc?: Record<string, unknown> | null }[]; reason?: string };
      if (!res.ok) throw fromCentralStatus(res.status, body.reason ?? res.statusText);
      for (const row of body.rows ?? []) {
        if (!row.doc) continue;
        const { _rev: _ignored, _attachments: _stubs, ...meta } = row.doc;
        const parsed = MediaMeta.safeParse(meta);
        if (parsed.success) await this.o.mediaDb.put(parsed.data as never).catch(() => undefined);
      }
    }
  }

  /** The files still missing, in the order they will be fetched. */
  async plan(hashes: Iterable<string>): Promise<Wanted[]> {
    const missing: string[] = [];
    for (const sha of hashes) if (!(await this.o.store.has(sha))) missing.push(sha);
    const known = await this.o.mediaDb.allDocs({ keys: missing.map((h) => `media:${h}`) });
    const unknown = known.rows
      .filter((r) => !('value' in r) || !r.value || (r.value as { deleted?: boolean }).deleted)
      .map((r) => r.key.slice('media:'.length));
    if (unknown.length) await this.fetchMetas(unknown);
    const wanted: Wanted[] = [];
    for (const sha of missing) {
      const m = await this.meta(sha);
      if (m) wanted.push(m);
    }
    return wanted.sort((a, b) => a.priority - b.priority || a.size - b.size || a.sha256.localeCompare(b.sha256));
  }

  private partialOf(sha256: string): string {
    return join(this.o.partialDir, sha256);
  }

  async partialBytes(sha256: string): Promise<number> {
    return (await fsp.stat(this.partialOf(sha256)).catch(nullIfNotFound))?.size ?? 0;
  }

  /** Continues (or starts) one file; returns once it is verified and stored. */
  async fetchOne(w: Wanted): Promise<void> {
    await fsp.mkdir(this.o.partialDir, { recursive: true });
    const partial = this.partialOf(w.sha256);
    const url = `${this.o.centralUrl}/media/${encodeURIComponent(`media:${w.sha256}`)}/file`;
    let have = await this.partialBytes(w.sha256);
    if (have > w.size) {
      await fsp.rm(partial, { force: true });
      have = 0;
    }
    while (have < w.size) {
      const room = this.o.meter.remaining() - REQUEST_OVERHEAD;
      const length = Math.min(this.o.chunkBytes, w.size - have, room);
      if (length < Math.min(4096, w.size - have)) throw budgetReached(this.o.meter.budget);
      const res = await this.o.fetch(url, { headers: { Authorization: this.o.authorization, Range: `bytes=${have}-${have + length - 1}` } });
      if (res.status === 206 || res.status === 200) {
        // A 200 is the whole file (a server that ignores Range): start the partial afresh.
        const out = createWriteStream(partial, { flags: res.status === 206 ? 'a' : 'w' });
        try {
          await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), out);
        } finally {
          have = await this.partialBytes(w.sha256);
        }
      } else if (res.status === 416) {
        await res.body?.cancel();
        await fsp.rm(partial, { force: true });
        have = 0;
      } else {
        const body = (await res.json().catch(() => ({}))) as { reason?: string };
        throw fromCentralStatus(res.status, body.reason);
      }
    }
    try {
      await this.o.store.put(createReadStream(partial), w.sha256);
    } catch (e) {
      if (e instanceof AppError && e.reason === 'media-hash-mismatch') await fsp.rm(partial, { force: true });
      throw e;
    }
    await fsp.rm(partial, { force: true });
  }
}
