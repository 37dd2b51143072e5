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
      for await (const docs of pages) {
        for (let i = 0; i < docs.length; i += 500) {
          next.addAll(docs.slice(i, i + 500).filter((d) => SEARCHED.has(d.type)).map(toIndexed));
          await new Promise((r) => setImmediate(r));
        }
      }
      this.mini = next;
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
    if (SEARCHED.has(doc.type)) this.mini.add(toIndexed(doc));
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

function toIndexed(doc: ContentDoc): Indexed {
  const titles = titleOf(doc);
  return { id: doc._id, type: doc.type, title: Object.values(titles).join(' '), text: searchableText(doc), titles };
}
