import { z } from 'zod';
import type { HubDeps } from '../deps.js';
import { maybeDoc, narrowWith } from '../storage/index.js';

export interface MediaFacts {
  size: number;
  mime: string;
  filename?: string;
}

/** What a file's metadata doc (`media:<sha>`) says of how it is served. */
const MEDIA_DOC = narrowWith(z.looseObject({ mime: z.string().optional(), filename: z.string().optional() }));

/**
 * What the hub knows of a stored file (size on disk, type from its metadata doc), kept in
 * memory: a file named by its hash never changes, so the facts never go stale.
 */
export class MediaInfo {
  private readonly facts = new Map<string, MediaFacts>();

  constructor(private readonly deps: Pick<HubDeps, 'media' | 'dbs'>) {}

  async get(sha: string): Promise<MediaFacts | null> {
    const known = this.facts.get(sha);
    if (known) return known;
    const stat = await this.deps.media.stat(sha);
    if (!stat) return null;
    // A file whose metadata has not arrived yet is still served, as bytes; a disk error is thrown.
    const doc = await maybeDoc(this.deps.dbs.media, `media:${sha}`, MEDIA_DOC);
    const mime = doc?.mime ?? 'application/octet-stream';
    const filename = doc?.filename;
    if (this.facts.size > 20_000) this.facts.clear();
    const facts = { size: stat.size, mime, filename };
    this.facts.set(sha, facts);
    return facts;
  }

  peek(sha: string): MediaFacts | undefined {
    return this.facts.get(sha);
  }
}
