import { contentOf, type CatalogDoc, type ContentOf, type ContentType } from '../../content/index.js';
import type { CatalogChange } from '../catalog/index.js';
import type { HubDeps } from '../deps.js';
import { byCode } from './order.js';

/**
 * What pages sort and filter by, per type: a few fields of each doc, never its texts. Pages
 * pick a page of ids from these and read only those docs (`ContentDigest.docs`).
 */
const SUMMARISE = {
  announcement: (d: ContentOf<'announcement'>) => ({
    id: d._id,
    priority: d.priority ?? 0,
    publishedAt: d.publishedAt,
    from: Date.parse(d.publishedAt),
    until: d.expiresAt ? Date.parse(d.expiresAt) : Infinity,
  }),
  event: (d: ContentOf<'event'>) => ({ id: d._id, startsAt: d.startsAt, ends: Date.parse(d.endsAt ?? d.startsAt) }),
  document: (d: ContentOf<'document'>) => ({ id: d._id, publishedAt: d.publishedAt ?? '', kind: d.kind, communes: d.communes ?? [] }),
  official: (d: ContentOf<'official'>) => ({ id: d._id, name: d.name, role: d.role, rank: d.rank, commune: d.commune }),
  organisation: (d: ContentOf<'organisation'>) => ({ id: d._id, name: d.name, domains: d.domains, communes: d.communes ?? [] }),
  consultation: (d: ContentOf<'consultation'>) => ({
    id: d._id,
    opensAt: d.opensAt,
    closesAt: d.closesAt,
    opens: Date.parse(d.opensAt),
    closes: Date.parse(d.closesAt),
    resultsPublic: d.resultsPublic,
  }),
  course: (d: ContentOf<'course'>) => ({ id: d._id, order: d.order }),
  commune: (d: ContentOf<'commune'>) => ({ id: d._id, name: d.name, kind: d.kind }),
  indicator: (d: ContentOf<'indicator'>) => ({ id: d._id, commune: d.commune, year: d.year }),
  opportunity: (d: ContentOf<'opportunity'>) => ({
    id: d._id,
    trades: d.trades ?? [],
    communes: d.communes ?? [],
    deadline: d.deadline ?? '',
    publishedAt: d.publishedAt,
  }),
};

export type DigestType = keyof typeof SUMMARISE;
export type Summary<T extends DigestType> = ReturnType<(typeof SUMMARISE)[T]>;

/** The summaries of one type, and orders of them computed once until the type changes. */
export class Summaries<S extends { id: string }> {
  readonly byId = new Map<string, S>();
  private readonly orders = new Map<string, S[]>();

  get size(): number {
    return this.byId.size;
  }

  set(id: string, summary: S | undefined): void {
    if (summary) this.byId.set(id, summary);
    else this.byId.delete(id);
    this.orders.clear();
  }

  /** Every summary in `compare`'s order, sorted once per change of the type and shared (do not modify). */
  sorted(name: string, compare: (a: S, b: S) => number): readonly S[] {
    let out = this.orders.get(name);
    if (!out) {
      out = [...this.byId.values()].sort(compare);
      this.orders.set(name, out);
    }
    return out;
  }
}

/**
 * Small derived summaries of the content, built once per type by reading it a page at a time
 * and then kept current from the catalog's changes: a page never holds every doc of a type
 * (50 000 docs of five types made the old per-generation copies 262 MB). The changes are
 * applied as the feed reports them, with the generation the page cache stamps pages with,
 * so a page is never rendered from a summary older than its stamp.
 */
export class ContentDigest {
  private readonly built = new Map<DigestType, Promise<Summaries<{ id: string }>>>();
  private readonly ready = new Map<DigestType, Summaries<{ id: string }>>();
  /** Changes that arrive while a type is being read, applied once it has been. */
  private readonly pending = new Map<DigestType, CatalogChange[]>();

  constructor(private readonly deps: Pick<HubDeps, 'catalog' | 'dbs'>) {
    deps.catalog.onChange((doc) => {
      const type = doc._id.slice(0, doc._id.indexOf(':')) as DigestType;
      if (!(type in SUMMARISE)) return;
      const ready = this.ready.get(type);
      if (ready) apply(ready, type, doc);
      else this.pending.get(type)?.push(doc);
    });
  }

  /** The summaries of a type (read the first time it is asked for). */
  of<T extends DigestType>(type: T): Promise<Summaries<Summary<T>>> {
    let built = this.built.get(type);
    if (!built) {
      built = this.build(type);
      this.built.set(type, built);
      built.catch(() => this.built.delete(type));
    }
    return built as unknown as Promise<Summaries<Summary<T>>>;
  }

  /** The docs of these ids of a type, in this order (those deleted meanwhile, or of another type, left out): one read. */
  async docs<K extends ContentType>(type: K, ids: readonly string[]): Promise<ContentOf<K>[]> {
    if (ids.length === 0) return [];
    const [res] = await Promise.all([this.deps.dbs.content.allDocs({ keys: [...ids], include_docs: true }), this.deps.catalog.translations.ready()]);
    return res.rows.flatMap((r) => {
      const doc = 'doc' in r ? contentOf(r.doc, type) : null;
      return doc ? [this.deps.catalog.translations.overlay(doc)] : [];
    });
  }

  private async build(type: DigestType): Promise<Summaries<{ id: string }>> {
    this.pending.set(type, []);
    try {
      const out = new Summaries<{ id: string }>();
      for await (const page of this.deps.catalog.pages(type)) for (const doc of page) apply(out, type, doc);
      for (const doc of this.pending.get(type) ?? []) apply(out, type, doc);
      this.ready.set(type, out);
      return out;
    } finally {
      this.pending.delete(type);
    }
  }
}

/** Events by start, then id: the agenda's order (the console reads it backwards). One comparator per order name. */
export function eventsByStart(all: Summaries<Summary<'event'>>): readonly Summary<'event'>[] {
  return all.sorted('start', (a, b) => byCode(a.startsAt, b.startsAt) || byCode(a.id, b.id));
}

function apply(into: Summaries<{ id: string }>, type: DigestType, doc: CatalogChange): void {
  // The catalog typed the doc by its own type; SUMMARISE[type] takes that type, which TS cannot pair with `type`.
  const summarise = SUMMARISE[type] as (d: CatalogDoc) => { id: string };
  into.set(doc._id, '_deleted' in doc || doc.type !== type ? undefined : summarise(doc));
}
