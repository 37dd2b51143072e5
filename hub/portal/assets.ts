import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import { projectRoot } from '../config/index.js';
import { EncodingMemo } from '../http/index.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.opus': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.png': 'image/png',
};
const TEXT = new Set(['.css', '.js', '.svg', '.json']);

export interface Asset {
  /** The fingerprinted address, e.g. /static/portal.3f9a1c2b.css */
  url: string;
  type: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  etag: string;
}

// Made on first use: hub/http and the portal import each other, so not at module evaluation.
let codings: EncodingMemo | undefined;

/** Sends a precompressed text body (brotli, gzip or identity, as the client accepts). */
export function sendCompressed(
  req: Request,
  res: Response,
  a: { type: string; body: Buffer; gzip?: Buffer; br?: Buffer; etag: string },
  cacheControl: string
): void {
  res.set({ 'Content-Type': a.type, 'Cache-Control': cacheControl, ETag: a.etag, Vary: 'Accept-Encoding' });
  if (req.headers['if-none-match'] === a.etag) {
    res.status(304).end();
    return;
  }
  // The hub's one negotiation (q-values honoured), on any body that has its copies.
  const coding = (codings ??= new EncodingMemo()).acceptable(req.headers['accept-encoding']).best;
  const copy = coding === 'identity' ? undefined : a[coding];
  if (copy) res.set('Content-Encoding', coding).end(copy);
  else res.end(a.body);
}

export function compressText(body: Buffer): { gzip: Buffer; br: Buffer } {
  return {
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * The portal's static files, read once at start: each gets a content hash in its name so it
 * can be cached for ever (`immutable`), and text is compressed once here rather than per request.
 */
export class StaticAssets {
  private readonly byName = new Map<string, Asset>();
  private readonly byUrl = new Map<string, Asset>();

  constructor(readonly dir = join(projectRoot(), 'hub/portal/static')) {
    for (const file of walk(dir)) {
      const ext = extname(file);
      const type = TYPES[ext];
      if (!type || file.endsWith('sw.js')) continue;
      const name = relative(dir, file);
      const body = readFileSync(file);
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
      const url = `/static/${name.slice(0, -ext.length)}.${hash}${ext}`;
      const asset: Asset = { url, type, body, etag: `"${hash}"`, ...(TEXT.has(ext) ? compressText(body) : {}) };
      this.byName.set(name, asset);
      this.byUrl.set(url, asset);
    }
  }

  /** The fingerprinted URL of a file of the static folder, e.g. url('portal.css'). */
  url(name: string): string {
    const a = this.byName.get(name);
    if (!a) throw new Error(`no portal asset named ${name}`);
    return a.url;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private iconIds: Set<string> | undefined;

  /** Whether the icon sprite draws `id` (content may name an icon; an unknown one falls back). */
  hasIcon(id: string): boolean {
    this.iconIds ??= new Set([...(this.byName.get('icons.svg')?.body.toString('utf8') ?? '').matchAll(/<symbol id="([a-z0-9-]+)"/g)].map((m) => m[1]!));
    return this.iconIds.has(id);
  }

  byAddress(url: string): Asset | undefined {
    return this.byUrl.get(url);
  }

  /** Every fingerprinted URL (the service worker precaches the small ones). */
  urls(filter: (name: string) => boolean = () => true): string[] {
    return [...this.byName.entries()].filter(([n]) => filter(n)).map(([, a]) => a.url);
  }

  /** The service worker, not fingerprinted (its address must stay put), with the asset list baked in. */
  serviceWorker(): { type: string; body: Buffer; gzip: Buffer; br: Buffer; etag: string } {
    const urls = this.urls((n) => /\.(css|js|svg)$/.test(n));
    const src = readFileSync(join(this.dir, 'sw.js'), 'utf8')
      .replace('__VERSION__', createHash('sha256').update(urls.join()).digest('hex').slice(0, 10))
      .replace('__ASSETS__', JSON.stringify(urls));
    const body = Buffer.from(src);
    return { type: 'text/javascript; charset=utf-8', body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`, ...compressText(body) };
  }
}
