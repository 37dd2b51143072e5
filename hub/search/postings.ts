import { FrozenWords, startsOf, Vocabulary, type List } from './vocabulary.js';

/**
 * The inverted index behind SearchIndex, laid out for a Pi's memory. MiniSearch's own index
 * keeps a Map per word and per field with an entry per doc — about 40 bytes a posting and
 * close to 1 KB a word, 100 MB at 50 000 docs. Here the vocabulary (vocabulary.ts) is
 * MiniSearch's radix tree (prefix and typo lookups) over the sorted words read from a
 * snapshot, and each word holds one array of small integers, one per doc: the doc's number
 * and how often the word is in its title and in its text. Scoring is MiniSearch's (BM25+,
 * the same weights for prefix and typo matches), over flat arrays.
 */

/** A posting: doc number × 256 + times in the text (4 bits) × 16 + times in the title (4 bits). */
const TF_MAX = 15;
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** Weights of a prefix or typo match against an exact one (MiniSearch's defaults). */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** Lists this long are packed into Int32Arrays (4 bytes a posting instead of 8) once built. */
const PACK_FROM = 32;
/** Removed docs are swept from the postings once they are this share of all numbers given. */
const SWEEP_SHARE = 0.25;

export interface QueryTerm {
  term: string;
  prefix: boolean;
  /** Edit distance forgiven (0: none). */
  fuzzy: number;
}

export interface Scored {
  doc: number;
  score: number;
}

/** Strings read when asked (a snapshot's metas stay bytes until a search shows their doc). */
export interface Strings {
  readonly length: number;
  at(i: number): string;
}

/** Everything a Postings holds, as flat arrays (see snapshot.ts for their layout on disk). */
export interface PostingsState {
  /**
   * Every word, sorted (`<`), one after the other: word i is `words[wordStarts[i]..wordStarts[i + 1]]`
   * (UTF-16 units), and its postings are `postings[offsets[i]..offsets[i + 1]]`.
   */
  words: string;
  wordStarts: Uint32Array;
  offsets: Uint32Array;
  postings: Int32Array;
  /** Per doc number: its id ('' once removed), type number (`DEAD` once removed), meta and field lengths. */
  ids: Strings;
  types: Uint16Array;
  typeNames: string[];
  metas: Strings;
  titleLength: Int32Array;
  textLength: Int32Array;
  /** Numbers given out again (swept); removed but unswept docs still have postings. */
  free: number[];
  removed: number;
  titleWords: number;
  textWords: number;
}

/** The type number of a removed doc. */
export const DEAD = 0xffff;

export class Postings {
  /** Postings by word: growing arrays, packed once the index is built (see `pack`). */
  private vocab = new Vocabulary();
  /** Doc types by number (`types` holds numbers: 2 bytes a doc). */
  private typeNames: string[] = [];
  private typeNumbers = new Map<string, number>();
  /** Doc numbers given out (removed docs' included, until given out again). */
  private docCount = 0;
  /**
   * Per doc number: its type number (`DEAD` once removed) and field lengths in words. Read
   * from a snapshot they are views on its bytes, copied at the first change (`owned`).
   */
  private types: Uint16Array = new Uint16Array(0);
  private titleLength: Int32Array = new Int32Array(0);
  private textLength: Int32Array = new Int32Array(0);
  private owned = true;
  /** Ids and metas per doc number; after a snapshot is read, those of the docs added or removed since. */
  private ids: (string | undefined)[] = [];
  private metas: (string | undefined)[] = [];
  /** The ids and metas read from a snapshot, for the docs not added or removed since (undefined in `ids`, `metas`). */
  private frozenIds: Strings | undefined;
  private frozenMetas: Strings | undefined;
  /** Doc numbers by id; after a snapshot is read, made at the first change (ids.length entries to insert). */
  private byId: Map<string, number> | undefined = new Map<string, number>();
  private liveDocs = 0;
  private readonly free: number[] = [];
  private removed = 0;
  private titleWords = 0;
  private textWords = 0;
  /** Scratch space for scoring, reused by every search (grown with the doc numbers). */
  private score = new Float64Array(0);
  private matched = new Uint8Array(0);
  private lastTerm = new Uint8Array(0);

  private numberOf(): Map<string, number> {
    if (!this.byId) {
      this.byId = new Map();
      for (let doc = 0; doc < this.docCount; doc += 1) if (this.types[doc] !== DEAD) this.byId.set(this.idOf(doc), doc);
    }
    return this.byId;
  }

  /**
   * Before the first change to an index read from a snapshot: its per-doc arrays, views on
   * the file's bytes, are copied (with room to grow), and the ids and metas get their overlay.
   */
  private thaw(): void {
    if (this.owned) return;
    this.owned = true;
    this.numberOf();
    const n = this.docCount;
    const room = n + (n >>> 3) + 16;
    this.types = grown(this.types, room);
    this.titleLength = grown(this.titleLength, room);
    this.textLength = grown(this.textLength, room);
    this.ids = new Array<string | undefined>(n).fill(undefined);
    this.metas = new Array<string | undefined>(n).fill(undefined);
  }

  get size(): number {
    return this.liveDocs;
  }

  has(id: string): boolean {
    return this.numberOf().has(id);
  }

  idOf(doc: number): string {
    return this.ids[doc] ?? this.frozenIds?.at(doc) ?? '';
  }

  metaOf(doc: number): string {
    return this.metas[doc] ?? this.frozenMetas?.at(doc) ?? '';
  }

  /** In how many docs a word is (removed docs count until they are swept: an estimate). */
  frequency(term: string): number {
    return this.vocab.get(term)?.length ?? 0;
  }

  add(id: string, type: string, meta: string, title: string[], text: string[]): void {
    this.remove(id);
    this.thaw();
    const doc = this.free.pop() ?? this.docCount++;
    if (doc >= this.types.length) {
      const room = Math.max(64, doc + (doc >>> 1));
      this.types = grown(this.types, room);
      this.titleLength = grown(this.titleLength, room);
      this.textLength = grown(this.textLength, room);
    }
    let typeNumber = this.typeNumbers.get(type);
    if (typeNumber === undefined) {
      typeNumber = this.typeNames.length;
      if (typeNumber >= DEAD) throw new Error('more than 65 535 doc types');
      this.typeNames.push(type);
      this.typeNumbers.set(type, typeNumber);
    }
    this.ids[doc] = id;
    this.types[doc] = typeNumber;
    this.metas[doc] = meta;
    this.numberOf().set(id, doc);
    this.liveDocs += 1;
    const counts = new Map<string, number>();
    for (const t of title) {
      const c = counts.get(t) ?? 0;
      counts.set(t, (c & 15) < TF_MAX ? c + 1 : c);
    }
    for (const t of text) {
      const c = counts.get(t) ?? 0;
      counts.set(t, c >>> 4 < TF_MAX ? c + 16 : c);
    }
    // As MiniSearch, a field's length is its number of distinct words.
    let titleLength = 0;
    let textLength = 0;
    for (const [term, tf] of counts) {
      const list = this.vocab.get(term);
      if (!list) this.vocab.set(term, [doc * 256 + tf]);
      else if (Array.isArray(list)) list.push(doc * 256 + tf);
      else this.vocab.set(term, [...list, doc * 256 + tf]);
      if (tf & 15) titleLength += 1;
      if (tf >>> 4) textLength += 1;
    }
    this.titleLength[doc] = titleLength;
    this.textLength[doc] = textLength;
    this.titleWords += titleLength;
    this.textWords += textLength;
  }

  remove(id: string): void {
    const doc = this.numberOf().get(id);
    if (doc === undefined) return;
    this.thaw();
    this.numberOf().delete(id);
    this.liveDocs -= 1;
    this.ids[doc] = '';
    this.metas[doc] = '';
    this.types[doc] = DEAD;
    this.titleWords -= this.titleLength[doc]!;
    this.textWords -= this.textLength[doc]!;
    this.removed += 1;
    if (this.removed > 100 && this.removed > this.docCount * SWEEP_SHARE) this.sweep();
  }

  /** The index as flat arrays, to be kept on disk (see snapshot.ts). */
  toState(): PostingsState {
    const entries = [...this.vocab.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const offsets = new Uint32Array(entries.length + 1);
    let total = 0;
    entries.forEach(([, list], i) => {
      total += list.length;
      offsets[i + 1] = total;
    });
    const postings = new Int32Array(total);
    entries.forEach(([, list], i) => postings.set(list, offsets[i]));
    const n = this.docCount;
    const words = entries.map(([word]) => word);
    return {
      words: words.join(''),
      wordStarts: startsOf(words),
      offsets,
      postings,
      ids: { length: n, at: (doc) => (this.types[doc] === DEAD ? '' : this.idOf(doc)) },
      types: this.types.subarray(0, n),
      typeNames: [...this.typeNames],
      metas: { length: n, at: (doc) => this.metaOf(doc) },
      titleLength: this.titleLength.subarray(0, n),
      textLength: this.textLength.subarray(0, n),
      free: [...this.free],
      removed: this.removed,
      titleWords: this.titleWords,
      textWords: this.textWords,
    };
  }

  /**
   * The index from its flat arrays, taken as they are (views on a snapshot's bytes): the
   * words and postings frozen, ids and metas read when asked, the per-doc arrays copied only
   * at the first change.
   */
  static fromState(state: PostingsState): Postings {
    const p = new Postings();
    const n = state.types.length;
    if (state.titleLength.length !== n || state.textLength.length !== n || state.ids.length !== n || state.metas.length !== n) {
      throw new Error('per-doc arrays of different lengths');
    }
    p.byId = undefined;
    p.vocab = new Vocabulary(new FrozenWords(state.words, state.wordStarts, state.offsets, state.postings));
    p.owned = false;
    p.docCount = n;
    p.types = state.types;
    p.titleLength = state.titleLength;
    p.textLength = state.textLength;
    p.frozenIds = state.ids;
    p.frozenMetas = state.metas;
    p.typeNames = [...state.typeNames];
    p.typeNumbers = new Map(p.typeNames.map((t, i) => [t, i]));
    let live = 0;
    const types = state.types;
    for (let doc = 0; doc < n; doc += 1) if (types[doc] !== DEAD) live += 1;
    p.liveDocs = live;
    p.free.push(...state.free);
    p.removed = state.removed;
    p.titleWords = state.titleWords;
    p.textWords = state.textWords;
    return p;
  }

  /** Packs long postings lists into exact-size Int32Arrays (an array grown by pushes keeps spare room). */
  pack(): void {
    const packed: [string, Int32Array][] = [];
    for (const [term, list] of this.vocab.entries()) if (Array.isArray(list) && list.length >= PACK_FROM) packed.push([term, Int32Array.from(list)]);
    for (const [term, list] of packed) this.vocab.set(term, list);
  }

  /** Drops removed docs' postings, and gives their numbers out again. */
  private sweep(): void {
    const types = this.types;
    const live = (p: number) => types[p >>> 8] !== DEAD;
    const kept: [string, List][] = [];
    for (const [term, list] of this.vocab.entries()) kept.push([term, Array.isArray(list) ? list.filter(live) : list.filter(live)]);
    for (const [term, list] of kept) this.vocab.set(term, list);
    this.free.length = 0;
    for (let doc = 0; doc < this.docCount; doc += 1) if (types[doc] === DEAD) this.free.push(doc);
    this.removed = 0;
  }

  /**
   * Docs holding the terms (all of them with `and`, any with `or`), best first. A term
   * matches its exact word, longer words it starts (prefix) and words a few edits away
   * (fuzzy); `titlesOnly` leaves the text out.
   */
  search(terms: QueryTerm[], opts: { and: boolean; titlesOnly?: boolean; type?: string }): Scored[] {
    const n = this.docCount;
    if (this.score.length < n) {
      const room = Math.max(n, this.score.length * 2, 1024);
      this.score = new Float64Array(room);
      this.matched = new Uint8Array(room);
      this.lastTerm = new Uint8Array(room);
    }
    const touched: number[] = [];
    const types = this.types;
    // A type no doc has matches none (-2 is no u16).
    const wanted = opts.type === undefined ? -1 : (this.typeNumbers.get(opts.type) ?? -2);
    const live = this.size;
    const avgTitle = this.titleWords / Math.max(1, live) || 1;
    const avgText = this.textWords / Math.max(1, live) || 1;
    const qs = terms.slice(0, 254);
    qs.forEach((q, i) => {
      const mark = i + 1;
      const visit = (list: ArrayLike<number>, weight: number) => {
        // As MiniSearch, a word's rarity is counted per field: rare in titles weighs more there.
        let inTitles = 0;
        for (let k = 0; k < list.length; k += 1) if (list[k]! & 15) inTitles += 1;
        const titleIdf = idf(live, inTitles);
        const textIdf = idf(live, list.length - inTitles);
        for (let k = 0; k < list.length; k += 1) {
          const p = list[k]!;
          const doc = p >>> 8;
          const type = types[doc];
          if (type === DEAD || (wanted !== -1 && type !== wanted)) continue;
          const inTitle = p & 15;
          const inText = opts.titlesOnly ? 0 : (p >>> 4) & 15;
          if (inTitle === 0 && inText === 0) continue;
          let s = 0;
          if (inTitle) s += 3 * titleIdf * bm25(inTitle, this.titleLength[doc]!, avgTitle);
          if (inText) s += textIdf * bm25(inText, this.textLength[doc]!, avgText);
          if (this.matched[doc] === 0) touched.push(doc);
          this.score[doc]! += weight * s;
          if (this.lastTerm[doc] !== mark) {
            this.lastTerm[doc] = mark;
            this.matched[doc]! += 1;
          }
        }
      };
      const exact = this.vocab.get(q.term);
      if (exact) visit(exact, 1);
      if (q.prefix) {
        for (const [word, list] of this.vocab.atPrefix(q.term)) {
          if (word.length > q.term.length) visit(list, (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * (word.length - q.term.length)));
        }
      }
      if (q.fuzzy > 0) {
        for (const [word, [list, distance]] of this.vocab.fuzzyGet(q.term, q.fuzzy)) {
          if (distance === 0 || (q.prefix && word.startsWith(q.term))) continue;
          visit(list, (FUZZY_WEIGHT * word.length) / (word.length + distance));
        }
      }
    });
    const need = opts.and ? qs.length : 1;
    const out: Scored[] = [];
    for (const doc of touched) {
      const m = this.matched[doc]!;
      // As MiniSearch: a doc matching more of the query's words ranks higher.
      if (m >= need) out.push({ doc, score: this.score[doc]! * m });
      this.score[doc] = 0;
      this.matched[doc] = 0;
      this.lastTerm[doc] = 0;
    }
    return out.sort((a, b) => b.score - a.score);
  }
}

/** The same numbers in a new array of `length` (at least theirs). */
function grown<T extends Uint16Array | Int32Array>(array: T, length: number): T {
  const out = new (array.constructor as new (length: number) => T)(Math.max(length, array.length));
  out.set(array);
  return out;
}

function idf(docs: number, matching: number): number {
  return Math.log(1 + (docs - matching + 0.5) / (matching + 0.5));
}

function bm25(tf: number, length: number, avgLength: number): number {
  return BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / avgLength));
}
