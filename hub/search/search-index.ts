import MiniSearch, { type SearchResult } from 'minisearch';
import { pickText, type ContentDoc, type ContentType, type Language } from '../../content/index.js';
import { searchableText, titleOf } from './extract.js';
import { foldTerm } from './french.js';

interface Indexed {
  id: string;
  type: string;
  title: string;
  text: string;
  titles: Record<string, string>;
}

export interface SearchHit {
  id: string;
  type: string;
  title: string;
  score: number;
}

// Lessons, quizzes and media belong to their course; communes are places, not answers.
const SEARCHED: ReadonlySet<string> = new Set(['course', 'lesson', 'document', 'official', 'organisation', 'consultation', 'event', 'announcement', 'indicator']);

/**
 * Full-text search over all content, in memory (MiniSearch): titles weigh more than bodies;
 * accents, case and plurals are folded; prefixes match while typing; one or two typos are
 * forgiven on longer words.
 */
export class SearchIndex {
  private mini = SearchIndex.empty();
  private ready: Promise<void> = Promise.resolve();
  private building = false;
  /** Visitors search the same few words over and over; answers hold until the index changes. */
  private readonly answers = new Map<string, SearchHit[]>();
  /** In how many docs each folded word appears (kept up to date on additions only: a heuristic). */
  private docFrequency = new Map<string, number>();

  private static empty() {
    return new MiniSearch<Indexed>({
      fields: ['title', 'text'],
      storeFields: ['type', 'titles'],
      processTerm: (term) => foldTerm(term),
      searchOptions: { boost: { title: 3 }, processTerm: (term) => foldTerm(term) },
    });
  }

  /**
   * (Re)builds from pages of docs (an async iterable, or a loader of one list), yielding to
   * the event loop between pages so serving goes on meanwhile.
   */
  build(source: AsyncIterable<ContentDoc[]> | (() => Promise<ContentDoc[]>)): Promise<void> {
    this.building = true;
    this.ready = (async () => {
      const pages: AsyncIterable<ContentDoc[]> = typeof source === 'function' ? (async function* () { yield await source(); })() : source;
      const next = SearchIndex.empty();
      const frequency = new Map<string, number>();
      for await (const docs of pages) {
        for (let i = 0; i < docs.length; i += 500) {
          const batch = docs.slice(i, i + 500).filter((d) => SEARCHED.has(d.type)).map(toIndexed);
          next.addAll(batch);
          for (const d of batch) countWords(frequency, d);
          await new Promise((r) => setImmediate(r));
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
    if (SEARCHED.has(doc.type)) {
      const indexed = toIndexed(doc);
      this.mini.add(indexed);
      countWords(this.docFrequency, indexed);
    }
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

  /**
   * Drops words found in most docs from a query that has rarer ones ("budget commune" →
   * "budget"): they barely change the ranking, yet scoring them walks most of the index.
   */
  private essential(query: string): string {
    const n = this.mini.documentCount;
    if (n < 200) return query;
    const words = [...new Set(query.split(WORDS).map((w) => foldTerm(w)).filter((w): w is string => !!w))];
    if (words.length < 2) return query;
    const df = (w: string) => this.docFrequency.get(w) ?? 0;
    const rare = words.filter((w) => df(w) <= n * COMMON_SHARE);
    if (rare.length === words.length) return query;
    return rare.length > 0 ? rare.join(' ') : words.reduce((a, b) => (df(a) <= df(b) ? a : b));
  }

  private compute(rawQuery: string, opts: { type?: ContentType; lang: Language; limit: number }): SearchHit[] {
    const query = this.essential(rawQuery);
    const filter = opts.type ? (r: SearchResult) => r.type === opts.type : undefined;
    const prefix = (term: string) => term.length >= 3;
    // Exact and prefix matching first: cheap, and right for most queries. Typo tolerance
    // (a walk of the whole vocabulary) only when that finds too little.
    let results = this.mini.search(query, { filter, prefix, combineWith: 'AND' });
    if (results.length < 3) {
      const fuzzy = (term: string) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0);
      results = this.mini.search(query, { filter, prefix, fuzzy, combineWith: 'AND' });
      if (results.length === 0) results = this.mini.search(query, { filter, prefix, fuzzy, combineWith: 'OR' });
    }
    return results.slice(0, opts.limit).map((r) => ({
      id: r.id as string,
      type: r.type as string,
      title: pickText(r.titles as { fr: string }, opts.lang).value,
      score: Math.round(r.score * 100) / 100,
    }));
  }
}

/** Splits like MiniSearch's own tokenizer: spaces and punctuation. */
const WORDS = /[\n\r\p{Z}\p{P}]+/u;
/** A word in more than this share of docs does not help narrow a search. */
const COMMON_SHARE = 0.25;

function countWords(frequency: Map<string, number>, d: Indexed): void {
  const seen = new Set<string>();
  for (const w of `${d.title} ${d.text}`.split(WORDS)) {
    const t = foldTerm(w);
    if (t && !seen.has(t)) {
      seen.add(t);
      frequency.set(t, (frequency.get(t) ?? 0) + 1);
    }
  }
}

function toIndexed(doc: ContentDoc): Indexed {
  const titles = titleOf(doc);
  return { id: doc._id, type: doc.type, title: Object.values(titles).join(' '), text: searchableText(doc), titles };
}
