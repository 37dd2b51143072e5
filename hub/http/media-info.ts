import type { HubDeps } from '../deps.js';

export interface MediaFacts {
  size: number;
  mime: string;
  filename?: string;
}

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
    let mime = 'application/octet-stream';
    let filename: string | undefined;
    try {
      const doc = (await this.deps.dbs.media.get(`media:${sha}`)) as { mime?: string; filename?: string };
      mime = doc.mime ?? mime;
      filename = doc.filename;
    } catch {
      // A file whose metadata has not arrived yet is still served, as bytes.
    }
    if (this.facts.size > 20_000) this.facts.clear();
    const facts = { size: stat.size, mime, filename };
    this.facts.set(sha, facts);
    return facts;
  }

  peek(sha: string): MediaFacts | undefined {
    return this.facts.get(sha);
  }
}
