import { pickText, type CatalogDoc, type ContentDoc, type ContentType, type Language } from '../../content/boot.js';
import { searchableText, titleOf } from './extract.js';
import { foldTerm } from './french.js';
import { Postings, type QueryTerm, type Scored } from './postings.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';

export type Seq = number | string;
export type ContentChange = CatalogDoc | { _id: string; _deleted: true };

/** Where the index reads content from (the catalog, over the content db). */
export interface SearchSource {
  updateSeq(): Promise<Seq>;
  /** Changes after `since`, with their docs, at most `limit` of them. */
  changesSince(since: Seq, limit: number): Promise<{ changes: ContentChange[]; lastSeq: Seq; more: boolean }>;
  pages(): AsyncIterable<CatalogDoc[]>;
}

/** How the index came to be usable at start-up. */
export type StartOutcome = { from: 'snapshot'; replayed: number } | { from: 'built'; why: string };

export interface SearchHit {
  id: string;
  type: string;
  title: string;
  score: number;
}

// Lessons, quizzes and media belong to their course; communes are places, not answers.
const SEARCHED: ReadonlySet<string> = new Set([
  'course',
  'lesson',
  'document',
  'official',
  'organisation',
  'consultation',
  'event',
  'announcement',
  'indicator',
]);

/** Splits like MiniSearch's own tokenizer: spaces and punctuation. */
const WORDS = /[\n\r\p{Z}\p{P}]+/u;
/** A word in more than this share of docs does not help narrow a search. */
const COMMON_SHARE = 0.25;
/** Below this many docs every word is searched everywhere (shares mean little). */
const COMMON_MIN_DOCS = 200;
/** A rebuild gives the event loop back this often, so requests are served meanwhile. */
const SLICE_MS = 8;
/** Fewer hits than this and the typo pass runs. */
const FEW = 3;
/** Replaying more changes than this (or than half the docs) is slower than a rebuild. */
const REPLAY_MAX = 5000;
const REPLAY_PAGE = 200;

/**
 * Full-text search over all content, in memory (postings.ts): titles weigh more than the
 * rest (summaries, names, tags and the opening of bodies — see extract.ts); accents, case
 * and plurals are folded; prefixes match while typing; one or two typos are forgiven on
 * longer words that the index does not know.
 */
export class SearchIndex {
  private index = new Postings();
  private ready: Promise<void> = Promise.resolve();
  private building = false;
  /** Visitors search the same few words over and over; answers hold until the index changes. */
  private readonly answers = new Map<string, SearchHit[]>();
  /** Changes seen while a rebuild runs (its pages may be read already): replayed onto it (null: removed). */
  private readonly during = new Map<string, CatalogDoc | null>();
  /** The content db's update sequence the index holds every change up to (for the snapshot). */
  private seq: Seq | undefined;
  /** Changes since the last snapshot written. */
  private unsaved = 0;
  private saving: Promise<unknown> = Promise.resolve();
  /** Moves whenever what searches answer may change (the answers' memo is cleared). */
  private gen = 0;
  /** Started (or built) and whole: until then its answers are not those of the content. */
  private live = false;
  /** Settles once start() has restored the snapshot, or has begun a rebuild instead. */
  private judged: Promise<void> = Promise.resolve();
  private judge: () => void = () => undefined;
  private starting = false;

  /**
   * Makes the index usable as soon as possible at start-up: from the snapshot on disk when
   * it is there and whole, replaying the content changes made since it was written; else
   * (missing, damaged, an older format, or too far behind) built from the catalog, and
   * written for the next start.
   */
  start(source: SearchSource, file: string): Promise<StartOutcome> {
    // Not ready until started: neither the empty index before the snapshot is read, nor one
    // half replayed, answers a search.
    this.live = false;
    this.starting = true;
    this.judged = new Promise<void>((resolve) => (this.judge = resolve));
    const started = this.open(source, file)
      .then((outcome) => {
        this.live = true;
        this.gen += 1;
        return outcome;
      })
      .finally(() => {
        this.starting = false;
        this.judge();
      });
    // Searches wait for the replay too, not only for a rebuild.
    this.ready = started.then(() => undefined);
    return started;
  }

  /**
   * Settles once start() has restored the snapshot (searches answered), or as soon as it
   * rebuilds instead (seconds long on a Pi): what the hub waits for before loading the rest
   * of its modules on the same core (hub/main.ts).
   */
  whenRestoredOrRebuilding(): Promise<void> {
    return this.judged;
  }

  private async open(source: SearchSource, file: string): Promise<StartOutcome> {
    const read = await readSnapshot(file);
    if (read.kind === 'ok') {
      const { snapshot } = read;
      // A content db behind the snapshot (restored from a backup, re-imported) holds other
      // docs than the index does: no replay can tell which.
      const now = await source.updateSeq();
      if (isBehind(now, snapshot.seq)) {
        await this.rebuild(source, file);
        return { from: 'built', why: `the content is at ${now}, behind the snapshot's ${snapshot.seq}` };
      }
      this.building = true;
      let replayed = 0;
      const outcome = await (async (): Promise<StartOutcome> => {
        this.index = Postings.fromState(snapshot.postings);
        let since = snapshot.seq;
        // Nothing changed since the snapshot (it is written when the hub stops): no changes
        // feed to read, whose streams would load before the first search.
        if (now === since) {
          this.seq = laterOf(since, this.seq);
          return { from: 'snapshot', replayed };
        }
        const limit = Math.max(REPLAY_MAX, this.index.size / 2);
        for (;;) {
          const { changes, lastSeq, more } = await source.changesSince(since, REPLAY_PAGE);
          for (const change of changes) this.apply(change);
          replayed += changes.length;
          since = lastSeq;
          if (replayed > limit) return { from: 'built', why: `more than ${limit} changes since the snapshot` };
          if (!more) break;
        }
        this.seq = laterOf(since, this.seq);
        return { from: 'snapshot', replayed };
      })().finally(() => {
        this.building = false;
        this.during.clear();
      });
      this.answers.clear();
      if (outcome.from === 'snapshot') {
        this.unsaved = replayed;
        if (replayed > 0) await this.persist(file);
        return outcome;
      }
      await this.rebuild(source, file);
      return outcome;
    }
    await this.rebuild(source, file);
    return { from: 'built', why: read.kind === 'missing' ? 'no snapshot yet' : read.why };
  }

  private async rebuild(source: SearchSource, file: string): Promise<void> {
    this.judge();
    this.seq = await source.updateSeq();
    await this.build(source.pages());
    this.unsaved = 1;
    await this.persist(file);
  }

  /** Writes the snapshot when changes came since the last one (never while a build runs). */
  persist(file: string): Promise<unknown> {
    this.saving = this.saving.then(async () => {
      if (this.unsaved === 0 || this.building || this.seq === undefined) return;
      const unsaved = this.unsaved;
      await writeSnapshot(file, { seq: this.seq, docs: this.index.size, postings: this.index.toState() });
      this.unsaved -= unsaved;
    });
    return this.saving;
  }

  /** A change from the content db's feed, with its sequence when known. */
  apply(change: ContentChange, seq?: Seq): void {
    if ('_deleted' in change) this.remove(change._id);
    else this.upsert(change);
    if (seq !== undefined && !this.building) this.seq = seq;
  }

  /**
   * (Re)builds from pages of docs (an async iterable, or a loader of one list), giving the
   * event loop back every few milliseconds so serving goes on meanwhile.
   */
  build(source: AsyncIterable<CatalogDoc[]> | (() => Promise<CatalogDoc[]>)): Promise<void> {
    this.building = true;
    this.during.clear();
    this.ready = (async () => {
      const pages: AsyncIterable<CatalogDoc[]> =
        typeof source === 'function'
          ? (async function* () {
              yield await source();
            })()
          : source;
      const next = new Postings();
      let sliceStart = performance.now();
      for await (const docs of pages) {
        for (const doc of docs) {
          if (searched(doc)) add(next, doc);
          if (performance.now() - sliceStart > SLICE_MS) {
            await new Promise((r) => setImmediate(r));
            sliceStart = performance.now();
          }
        }
      }
      next.pack();
      for (const [id, doc] of this.during) {
        if (doc && searched(doc)) add(next, doc);
        else next.remove(id);
      }
      this.index = next;
      this.answers.clear();
      this.gen += 1;
      this.live = true;
    })().finally(() => {
      this.building = false;
      this.during.clear();
    });
    return this.ready;
  }

  /** False while the index is being (re)built; callers that cannot wait fall back. */
  get isReady(): boolean {
    return !this.building && !this.starting;
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * A number that moves whenever search answers may change (for pages showing them to be
   * cached); undefined until the index is started and whole, and while it is being rebuilt.
   */
  get generation(): number | undefined {
    return this.live && !this.building ? this.gen : undefined;
  }

  upsert(doc: CatalogDoc): void {
    this.answers.clear();
    this.gen += 1;
    this.unsaved += 1;
    if (this.building) this.during.set(doc._id, doc);
    if (searched(doc)) add(this.index, doc);
    else this.index.remove(doc._id);
  }

  remove(id: string): void {
    this.answers.clear();
    this.gen += 1;
    this.unsaved += 1;
    if (this.building) this.during.set(id, null);
    this.index.remove(id);
  }

  get size(): number {
    return this.index.size;
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
    const words = [...new Set(tokens(query))];
    if (words.length === 0) return [];
    const index = this.index;
    const n = index.size;
    const df = (w: string) => index.frequency(w);
    const isCommon = (w: string) => n >= COMMON_MIN_DOCS && df(w) > n * COMMON_SHARE;
    // Words found in most docs barely change the ranking, yet scoring them walks most of
    // the index: a query with rarer words drops them ("budget commune" → "budget").
    const rare = words.filter((w) => !isCommon(w));
    const searched = rare.length > 0 ? rare : [words.reduce((a, b) => (df(a) <= df(b) ? a : b))];
    const terms = (fuzzy: boolean): QueryTerm[] =>
      searched.map((term) => ({
        term,
        prefix: term.length >= 3,
        // Typo tolerance (a walk of the whole vocabulary) only for words the index does not
        // know: a known word is spelt as some doc spells it, and its hits are already counted.
        fuzzy: !fuzzy || df(term) > 0 ? 0 : term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0,
      }));
    const type = opts.type;
    let results: Scored[] | undefined;
    // Only common words: the titles that hold them are the best answers, when there are enough.
    if (rare.length === 0) {
      const inTitles = index.search(terms(false), { and: true, titlesOnly: true, type });
      if (inTitles.length >= opts.limit) results = inTitles;
    }
    // Exact and prefix matching first: cheap, and right for most queries.
    results ??= index.search(terms(false), { and: true, type });
    if (results.length < FEW) {
      const typos = terms(true).some((t) => t.fuzzy > 0);
      if (typos) results = index.search(terms(true), { and: true, type });
      if (results.length === 0 && searched.length > 1) results = index.search(terms(typos), { and: false, type });
    }
    return results.slice(0, opts.limit).map(({ doc, score }) => {
      const [type, titles] = JSON.parse(index.metaOf(doc)) as [string, { fr: string }];
      return { id: index.idOf(doc), type, title: pickText(titles, opts.lang).value, score: Math.round(score * 100) / 100 };
    });
  }
}

/** The later of two sequences (local PouchDB ones are numbers; an opaque one is taken as is). */
function laterOf(a: Seq, b: Seq | undefined): Seq {
  return typeof a === 'number' && typeof b === 'number' && b > a ? b : a;
}

/** Whether `now` comes before `then` (PouchDB's numbers; opaque CouchDB sequences by their number prefix). */
function isBehind(now: Seq, then: Seq): boolean {
  const n = (s: Seq) => (typeof s === 'number' ? s : Number.parseInt(s, 10));
  const [a, b] = [n(now), n(then)];
  return Number.isFinite(a) && Number.isFinite(b) && a < b;
}

/** Folded words of a text, as indexed and searched. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (const w of text.split(WORDS)) {
    const t = w ? foldTerm(w) : null;
    if (t) out.push(t);
  }
  return out;
}

/** Certificates are in the content db but never searched (nor titled). */
function searched(doc: CatalogDoc): doc is ContentDoc {
  return doc.type !== 'certificate' && SEARCHED.has(doc.type);
}

function add(index: Postings, doc: ContentDoc): void {
  const titles = titleOf(doc);
  index.add(doc._id, doc.type, metaOf(doc, titles), tokens(Object.values(titles).join(' ')), tokens(searchableText(doc)));
}

/** [type, titles] as JSON: one flat string per doc rather than an object of strings. */
function metaOf(doc: ContentDoc, titles: Record<string, string>): string {
  return JSON.stringify([doc.type, titles]);
}
