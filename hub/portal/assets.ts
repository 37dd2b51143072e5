import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { projectRoot } from '../config/index.js';
import type { Prepared } from '../http/index.js';

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

/** A static file as a prepared answer: the fast path and Express send it with the same function. */
export interface Asset extends Prepared {
  /** The fingerprinted address, e.g. /static/portal.3f9a1c2b.css */
  readonly url: string;
  readonly type: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** A text file's compressed copies, made in the background; until then it is sent as it is. */
interface Copies {
  br?: Buffer;
  gzip?: Buffer;
}

/**
 * Text compressed at the best levels (brotli 11, gzip 9): 0.2 s of a pinned core for all the
 * files (most of a second on a Pi's). Made synchronously, at start they delayed listening, on
 * first demand they held the event loop while the first phones arrived; so they are made on
 * libuv's pool (async zlib), never on the event loop, the first time any static file is asked
 * for, and the files are sent uncompressed until their copies are ready.
 */
async function compressBest(body: Buffer, copies: Copies): Promise<void> {
  copies.br = await brotliAsync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  copies.gzip = await gzipAsync(body, { level: 9 });
}

/** A text asset and its copies, to be made. */
const copiesOf = new WeakMap<Asset, Copies>();

function asset(url: string, type: string, body: Buffer, etag: string, headers: Record<string, string>, text: boolean): Asset {
  if (!text) return { url, type, body, etag, headers: { 'Content-Type': type, ...headers } };
  const copies: Copies = {};
  const a: Asset = { url, type, body, etag, headers: { 'Content-Type': type, ...headers, Vary: 'Accept-Encoding' }, compress: (coding) => copies[coding] };
  copiesOf.set(a, copies);
  return a;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * The portal's static files, read once at start: each gets a content hash in its name so it
 * can be cached for ever (`immutable`); text is compressed once, in the background (`compressed`).
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
      const a = asset(url, type, body, `"${hash}"`, { 'Cache-Control': IMMUTABLE }, TEXT.has(ext));
      this.byName.set(name, a);
      this.byUrl.set(url, a);
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

  private sw: Asset | undefined;

  /** The service worker, not fingerprinted (its address must stay put), with the asset list baked in. */
  serviceWorker(): Asset {
    if (this.sw) return this.sw;
    const urls = this.urls((n) => /\.(css|js|svg)$/.test(n));
    const src = readFileSync(join(this.dir, 'sw.js'), 'utf8')
      .replace('__VERSION__', createHash('sha256').update(urls.join()).digest('hex').slice(0, 10))
      .replace('__ASSETS__', JSON.stringify(urls));
    const body = Buffer.from(src);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    // The worker's own address never changes: the browser must check it for a new version.
    return (this.sw = asset('/sw.js', 'text/javascript; charset=utf-8', body, etag, { 'Cache-Control': 'no-cache', 'Service-Worker-Allowed': '/' }, true));
  }

  private compressing: Promise<void> | undefined;

  /**
   * The answer for a static address (a fingerprinted file or the service worker), if there is
   * one. The first call starts compressing every text file in the background (a failure is
   * logged to `log`, and the files go on being sent uncompressed).
   */
  answer(path: string, log: { error(obj: object, msg: string): void }): Asset | undefined {
    if (!this.compressing) void this.compressed().catch((err: unknown) => log.error({ err }, 'static files could not be compressed; sent as they are'));
    return path === '/sw.js' ? this.serviceWorker() : this.byUrl.get(path);
  }

  /** Resolves once every text file has its compressed copies (made one file at a time, on libuv's pool). */
  compressed(): Promise<void> {
    return (this.compressing ??= (async () => {
      for (const a of [this.serviceWorker(), ...this.byUrl.values()]) {
        const copies = copiesOf.get(a);
        if (copies && !copies.br) await compressBest(a.body, copies);
      }
    })());
  }
}

let shared: StaticAssets | undefined;

/** The portal's static files, read once per process: the portal, the fast path and the studio share them. */
export function portalAssets(): StaticAssets {
  return (shared ??= new StaticAssets());
}
