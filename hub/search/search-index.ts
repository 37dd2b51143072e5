import MiniSearch, { type SearchResult } from 'minisearch';
import { pickText, type ContentDoc, type ContentType, type Language } from '../../content/index.js';
import { searchableText, titleOf } from './extract.js';
import { foldTerm } from './french.js';

interface Indexed {
  id: string;
  title: string;
  text: string;
  /** The type and the titles, as one string: the only things a hit shows (see `meta`). */
  meta: string;
}

export interface SearchHit {
  id: string;
  type: string;
  title: string;
  score: number;
}

// Lessons, quizzes and media belong to their course; communes are places, not answers.
const SEARCHED: ReadonlySet<string> = new Set(['course', 'lesson', 'document', 'official', 'organisation', 'consultation', 'event', 'announcement', 'indicator']);

/** Splits like MiniSearch's own tokenizer: spaces and punctuation. */
const WORDS = /[\n\r\p{Z}\p{P}]+/u;
/** A word in more than this share of docs does not help narrow a search. */
const COMMON_SHARE = 0.25;
/** Below this many docs every word is searched everywhere (shares mean little). */
const COMMON_MIN_DOCS = 200;
/** A rebuild gives the event loop back this often, so requests are served meanwhile. */
const SLICE_MS = 12;
/** Fewer hits than this and the typo pass runs. */
const FEW = 3;

/**
 * Full-text search over all content, in memory (MiniSearch): titles weigh more than the
 * rest (summaries, names, tags and the opening of bodies — see extract.ts); accents, case
 * and plurals are folded; prefixes match while typing; one or two typos are forgiven on
 * longer words that the index does not know.
 */
export class SearchIndex {
  /** Folded words of the doc being added, collected by the indexer's own tokenizing. */
  private readonly seen = new Set<string>();
  private mini = this.empty();
  private ready: Promise<void> = Promise.resolve();
  private building = false;
  /** Visitors search the same few words over and over; answers hold until the index changes. */
  private readonly answers = new Map<string, SearchHit[]>();
  /** In how many docs each folded word appears (kept up to date on additions only: a heuristic). */
  private docFrequency = new Map<string, number>();

  private empty(): MiniSearch<Indexed> {
    return new MiniSearch<Indexed>({
      fields: ['title', 'text'],
      storeFields: ['meta'],
      processTerm: (term) => {
        const t = foldTerm(term);
        if (t) this.seen.add(t);
        return t;
      },
      searchOptions: { boost: { title: 3 }, processTerm: (term) => foldTerm(term) },
    });
  }

  /** Adds one doc to `mini` and counts its words in `frequency`. */
  private add(mini: MiniSearch<Indexed>, frequency: Map<string, number>, doc: ContentDoc): void {
    this.seen.clear();
    mini.add(toIndexed(doc));
    for (const t of this.seen) frequency.set(t, (frequency.get(t) ?? 0) + 1);
    this.seen.clear();
  }

  /**
   * (Re)builds from pages of docs (an async iterable, or a loader of one list), giving the
   * event loop back every few milliseconds so serving goes on meanwhile.
   */
  build(source: AsyncIterable<ContentDoc[]> | (() => Promise<ContentDoc[]>)): Promise<void> {
    this.building = true;
    this.ready = (async () => {
      const pages: AsyncIterable<ContentDoc[]> = typeof source === 'function' ? (async function* () { yield await source(); })() : source;
      const next = this.empty();
      const frequency = new Map<string, number>();
      let sliceStart = performance.now();
      for await (const docs of pages) {
        for (const doc of docs) {
          if (SEARCHED.has(doc.type)) this.add(next, frequency, doc);
          if (performance.now() - sliceStart > SLICE_MS) {
            await new Promise((r) => setImmediate(r));
            sliceStart = performance.now();
          }
        }
      }
      this.mini = next;
      this.docFrequency = frequency;
      this.answers.clear();
    })().finally(() => {
      this.building = false;
    });
    return this.ready;
  }

  /** False while the index is being (re)built; callers that cannot wait fall back. */
  get isReady(): boolean {
    return !this.building;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  upsert(doc: ContentDoc): void {
    this.answers.clear();
    if (this.mini.has(doc._id)) this.mini.discard(doc._id);
    if (SEARCHED.has(doc.type)) this.add(this.mini, this.docFrequency, doc);
  }

  remove(id: string): void {
    this.answers.clear();
    if (this.mini.has(id)) this.mini.discard(id);
  }

  get size(): number {
    return this.mini.documentCount;
  }

  search(query: string, opts: { type?: ContentType; lang: Language; limit: number }): SearchHit[] {
    const key = `${opts.type ?? ''}|${opts.lang}|${opts.limit}|${query.toLowerCase()}`;
    const known = this.answers.get(key);
    if (known) return known;
    const hits = this.compute(query, opts);
    if (this.answers.size >= 1000) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(key, hits);
    return hits;
  }

  private compute(query: string, opts: { type?: ContentType; lang: Language; limit: number }): SearchHit[] {
    const words = [...new Set(query.split(WORDS).map((w) => foldTerm(w)).filter((w): w is string => !!w))];
    if (words.length === 0) return [];
    const n = this.mini.documentCount;
    const df = (w: string) => this.docFrequency.get(w) ?? 0;
    const isCommon = (w: string) => n >= COMMON_MIN_DOCS && df(w) > n * COMMON_SHARE;
    // Words found in most docs barely change the ranking, yet scoring them walks most of
    // the index: a query with rarer words drops them ("budget commune" → "budget").
    const rare = words.filter((w) => !isCommon(w));
    const searched = rare.length > 0 ? rare : [words.reduce((a, b) => (df(a) <= df(b) ? a : b))];
    const q = searched.join(' ');
    const type = opts.type;
    const filter = type ? (r: SearchResult) => typeOf(r.meta as string) === type : undefined;
    const prefix = (term: string) => term.length >= 3;
    let results: SearchResult[] | undefined;
    // Only common words: the titles that hold them are the best answers, when there are enough.
    if (rare.length === 0) {
      const inTitles = this.mini.search(q, { fields: ['title'], filter, prefix, combineWith: 'AND' });
      if (inTitles.length >= opts.limit) results = inTitles;
    }
    // Exact and prefix matching first: cheap, and right for most queries.
    results ??= this.mini.search(q, { filter, prefix, combineWith: 'AND' });
    if (results.length < FEW) {
      // Typo tolerance (a walk of the whole vocabulary) only for words the index does not
      // know: a known word is spelt as some doc spells it, and its hits are already counted.
      const fuzzy = (term: string) => (df(term) > 0 ? 0 : term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0);
      const typos = searched.some((w) => fuzzy(w) > 0);
      if (typos) results = this.mini.search(q, { filter, prefix, fuzzy, combineWith: 'AND' });
      if (results.length === 0 && searched.length > 1) results = this.mini.search(q, { filter, prefix, fuzzy: typos ? fuzzy : false, combineWith: 'OR' });
    }
    return results.slice(0, opts.limit).map((r) => {
      const meta = r.meta as string;
      return {
        id: r.id as string,
        type: typeOf(meta),
        title: pickText(JSON.parse(meta.slice(meta.indexOf(' ') + 1)) as { fr: string }, opts.lang).value,
        score: Math.round(r.score * 100) / 100,
      };
    });
  }
}

/** "type {titles as JSON}": one string per doc rather than an object of strings. */
function metaOf(doc: ContentDoc): string {
  return `${doc.type} ${JSON.stringify(titleOf(doc))}`;
}

function typeOf(meta: string): string {
  return meta.slice(0, meta.indexOf(' '));
}

function toIndexed(doc: ContentDoc): Indexed {
  return { id: doc._id, title: Object.values(titleOf(doc)).join(' '), text: searchableText(doc), meta: metaOf(doc) };
}
