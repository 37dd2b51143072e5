import type { HubDeps } from '../deps.js';
import { compressBody, etagOf, type Prepared } from '../http/index.js';
import type { PageRequest } from './page-rules.js';
import { watchSubmissions, type SubmissionsWatch } from './submissions-generation.js';

/** Rendered pages kept at most (bodies and their compressed copies): the Pi's heap is 256 MB. */
export const PAGE_CACHE_BYTES = 8 * 1024 * 1024;
/** Distinct names the hub was reached by: a handful (its DNS name, mDNS name, addresses). */
const MAX_HOSTS = 32;

export type Coding = 'br' | 'gzip' | 'identity';

/** A cached page's headers (besides ETag, length, coding): revalidated every time, different per cookie. */
const PAGE_HEADERS = { 'Cache-Control': 'no-cache', Vary: 'Cookie, Accept-Encoding', 'Content-Type': 'text/html; charset=utf-8' };

/** What invalidates a rendered page besides the clock. */
export interface Generations {
  content(): number;
  /** Moves when submissions of these kinds are written; undefined while the submissions db is not followed (such pages are then not cached). */
  submissions(kinds: readonly string[]): number | undefined;
  /** The search index's; undefined while it is not ready, or not known (pages showing search results are then not cached). */
  search?(): number | undefined;
  /** Resolves once every write made before the call is reflected in the generations (tests). */
  settled?(): Promise<void>;
}

/** A page request's key and what the page was rendered from, taken before the page read anything. */
export interface PageStamp extends PageRequest {
  /** The generations of what the page shows, as one string (content, then submissions and search when it shows them). */
  version: string;
  at: number;
  host: string | undefined;
}

/** A rendered page, also a prepared answer (sent by the same function on both paths). */
export interface CachedPage extends Prepared {
  readonly key: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly compress: (coding: 'br' | 'gzip') => Buffer;
  /** What it was rendered for, and from. */
  readonly request: PageRequest;
  readonly version: string;
  readonly expiresAt: number;
  gzip?: Buffer;
  br?: Buffer;
  bytes: number;
}

/**
 * Portal pages rendered once per (address, language, content generation, the generation of
 * the kinds of submissions they show, the search index's when they show search results,
 * and a short lifetime when they show what is current), kept
 * as bytes with an ETag and compressed once per coding, so the raw fast path can answer them
 * without Express. Least recently used pages leave first when the byte budget is reached.
 *
 * Pages are stored by the Express path only, after the captive portal let the request through:
 * the Host values seen there are the only ones answered from the cache (any other goes to
 * Express, whose captive router decides).
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly hosts = new Set<string>();
  /** Pages being rendered: other requests for the same page from the same data wait for them. */
  private readonly inFlight = new Map<string, { version: string; done: Promise<void>; finish(): void }>();
  /** The keys of each bounded group (search pages), least recently used first. */
  private readonly groups = new Map<string, Set<string>>();
  private total = 0;
  /** Pages answered from the cache since start (counted by the fast path; for figures and tests). */
  hits = 0;
  /** Pages rendered and kept since start. */
  stored = 0;
  private searchGen: (() => number | undefined) | undefined;

  constructor(
    readonly gens: Generations,
    readonly maxBytes = PAGE_CACHE_BYTES
  ) {}

  /** The search index pages showing search results are validated against (the portal's router has it). */
  followSearch(index: { readonly generation: number | undefined }): void {
    this.searchGen = () => index.generation;
  }

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Taken when a cacheable request starts, so a change during rendering is never stored as current. */
  stamp(request: PageRequest, host: string | undefined, at = Date.now()): PageStamp | undefined {
    const version = this.versionOf(request);
    return version === undefined ? undefined : { ...request, version, at, host };
  }

  /** The generations of what a page shows, as one string; undefined when one of them is not known (then not cached). */
  private versionOf(request: PageRequest): string | undefined {
    let version = String(this.gens.content());
    if (request.submissions) {
      const gen = this.gens.submissions(request.submissions);
      if (gen === undefined) return undefined;
      version += ` s${gen}`;
    }
    if (request.search) {
      const gen = (this.searchGen ?? this.gens.search)?.();
      if (gen === undefined) return undefined;
      version += ` i${gen}`;
    }
    return version;
  }

  /** When the same page is being rendered from the same data by another request: resolves once that one is over. */
  renderingOf(stamp: PageStamp): Promise<void> | undefined {
    const running = this.inFlight.get(stamp.key);
    return running && running.version === stamp.version ? running.done : undefined;
  }

  /** This request renders the page; call the returned function when it is over, whatever the outcome. */
  rendering(stamp: PageStamp): () => void {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const slot = { version: stamp.version, done, finish };
    this.inFlight.set(stamp.key, slot);
    return () => {
      if (this.inFlight.get(stamp.key) === slot) this.inFlight.delete(stamp.key);
      finish();
    };
  }

  /** Keeps a page rendered for `stamp` (unless the data moved on meanwhile) and returns it, kept or not. */
  store(stamp: PageStamp, html: string): CachedPage {
    const body = Buffer.from(html);
    const page: CachedPage = {
      key: stamp.key,
      body,
      etag: etagOf(body),
      headers: PAGE_HEADERS,
      compress: (coding) => this.encoded(page, coding),
      request: stamp,
      version: stamp.version,
      expiresAt: stamp.ttlMs === undefined ? Infinity : stamp.at + stamp.ttlMs,
      bytes: body.length + stamp.key.length,
    };
    if (!this.current(stamp, stamp.version, stamp.at, Infinity)) return page;
    this.drop(stamp.key);
    this.stored += 1;
    this.entries.set(stamp.key, page);
    this.total += page.bytes;
    this.used(page);
    if (stamp.host !== undefined && this.hosts.size < MAX_HOSTS) this.hosts.add(stamp.host);
    this.trim();
    // Those waiting for this page can have it now, before it is even sent.
    this.inFlight.get(stamp.key)?.finish();
    return page;
  }

  /** The page for `request` if it is still current and the host is one the captive portal let through. */
  get(request: PageRequest, host: string | undefined, now = Date.now()): CachedPage | undefined {
    if (host === undefined || !this.hosts.has(host)) return undefined;
    const page = this.entries.get(request.key);
    if (!page) return undefined;
    if (!this.current(page.request, page.version, now, page.expiresAt)) {
      this.drop(page.key);
      return undefined;
    }
    // Most recently used last: the first entry is the one to let go.
    this.entries.delete(page.key);
    this.entries.set(page.key, page);
    this.used(page);
    return page;
  }

  /** The body in `coding`, compressed the first time it is asked for. */
  encoded(page: CachedPage, coding: Coding): Buffer {
    if (coding === 'identity') return page.body;
    let out = page[coding];
    if (!out) {
      out = compressBody(page.body, coding);
      page[coding] = out;
      // Still in the cache (not dropped meanwhile): account for the copy.
      if (this.entries.get(page.key) === page) {
        page.bytes += out.length;
        this.total += out.length;
        this.trim();
      }
    }
    return out;
  }

  private current(request: PageRequest, version: string, now: number, expiresAt: number): boolean {
    return now < expiresAt && this.versionOf(request) === version;
  }

  /** A page of a bounded group was stored or read: it goes last in its group, and the group's least recently used leaves when it is full. */
  private used(page: CachedPage): void {
    const bounded = page.request.bounded;
    if (!bounded) return;
    let keys = this.groups.get(bounded.group);
    if (!keys) this.groups.set(bounded.group, (keys = new Set()));
    keys.delete(page.key);
    keys.add(page.key);
    while (keys.size > bounded.most) this.drop(keys.values().next().value as string);
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.total -= old.bytes;
    const bounded = old.request.bounded;
    if (bounded) this.groups.get(bounded.group)?.delete(key);
  }

  private trim(): void {
    while (this.total > this.maxBytes && this.entries.size > 0) this.drop(this.entries.keys().next().value as string);
  }
}

/**
 * The hub's one page cache, built in startHub: the portal router fills it and the raw fast
 * path reads it. Pages showing submissions are stamped with the submissions db's sequence.
 */
export function openPageCache(deps: Pick<HubDeps, 'catalog' | 'dbs' | 'log'>): PageCache {
  const submissions: SubmissionsWatch = watchSubmissions(deps.dbs.submissions);
  return new PageCache({
    content: () => deps.catalog.generation,
    submissions: (kinds) => submissions.generation(kinds),
    settled: () => submissions.settled(),
  });
}
