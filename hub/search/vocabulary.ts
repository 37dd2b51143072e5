import SearchableMap from 'minisearch/SearchableMap';

/** A word's postings: a growing array while built, packed into an Int32Array once long (postings.ts). */
export type List = number[] | Int32Array;

/**
 * Words read back from a snapshot, as they lie in the file: sorted, one after the other in
 * one string (word i is `text[starts[i]..starts[i + 1]]`, in UTF-16 units), with all their
 * postings in one Int32Array (word i's are `postings[offsets[i]..offsets[i + 1]]`). Nothing is
 * built to read them — no string per word, where a radix tree of nested Maps took most of a
 * start-up to restore and its garbage collections; exact words and prefixes are found by
 * binary search, typos by the same Levenshtein walk as MiniSearch's tree (sorted words share
 * their prefixes' rows). A word becomes a string of its own only when a search yields it.
 */
export class FrozenWords {
  constructor(
    readonly text: string,
    readonly starts: Uint32Array,
    readonly offsets: Uint32Array,
    readonly postings: Int32Array
  ) {}

  /** The words (sorted by `<`) as one text and where each starts. */
  static of(words: readonly string[], offsets: Uint32Array, postings: Int32Array): FrozenWords {
    return new FrozenWords(words.join(''), startsOf(words), offsets, postings);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  word(i: number): string {
    return this.text.slice(this.starts[i], this.starts[i + 1]);
  }

  list(i: number): Int32Array {
    return this.postings.subarray(this.offsets[i], this.offsets[i + 1]);
  }

  /** Word i against `term`, as `<` orders strings (by UTF-16 units): negative before, 0 equal. */
  private compare(i: number, term: string): number {
    const start = this.starts[i]!;
    const length = this.starts[i + 1]! - start;
    const n = Math.min(length, term.length);
    for (let k = 0; k < n; k += 1) {
      const d = this.text.charCodeAt(start + k) - term.charCodeAt(k);
      if (d !== 0) return d;
    }
    return length - term.length;
  }

  private startsWith(i: number, prefix: string): boolean {
    const start = this.starts[i]!;
    return this.starts[i + 1]! - start >= prefix.length && this.text.startsWith(prefix, start);
  }

  /** The first word not before `term`. */
  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(mid, term) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  indexOf(term: string): number {
    const i = this.lowerBound(term);
    return i < this.size && this.compare(i, term) === 0 ? i : -1;
  }

  /** Numbers of the words starting with `prefix` (itself included). */
  *withPrefix(prefix: string): Generator<number> {
    for (let i = this.lowerBound(prefix); i < this.size && this.startsWith(i, prefix); i += 1) yield i;
  }

  /**
   * Numbers of the words at most `maxDistance` edits from `query`, with their distance: the
   * banded Levenshtein matrix of MiniSearch's fuzzySearch, one row per letter, the rows of a
   * prefix shared with the previous word kept, and words under a prefix already too far skipped.
   */
  fuzzy(query: string, maxDistance: number): [number, number][] {
    const out: [number, number][] = [];
    const n = query.length + 1;
    const m = n + maxDistance;
    const matrix = new Uint8Array(m * n).fill(maxDistance + 1);
    for (let j = 0; j < n; j += 1) matrix[j] = j;
    for (let i = 1; i < m; i += 1) matrix[i * n] = i;
    const { text, starts } = this;
    const size = this.size;
    let prevStart = 0;
    // Rows 1..valid hold the previous word's first letters.
    let valid = 0;
    for (let w = 0; w < size; w += 1) {
      const start = starts[w]!;
      const length = starts[w + 1]! - start;
      let common = 0;
      const shared = Math.min(valid, length);
      while (common < shared && text.charCodeAt(start + common) === text.charCodeAt(prevStart + common)) common += 1;
      prevStart = start;
      valid = common;
      // Longer than the query by more than the distance: no row of its own is needed to say no,
      // but its rows up to m - 1 are still worth computing for the words after it.
      const last = Math.min(length, m - 1);
      let pruned = false;
      for (let i = common + 1; i <= last; i += 1) {
        const char = text.charCodeAt(start + i - 1);
        const row = n * i;
        const prevRow = row - n;
        let minDistance = matrix[row]!;
        const jmin = Math.max(0, i - maxDistance - 1);
        const jmax = Math.min(n - 1, i + maxDistance);
        for (let j = jmin; j < jmax; j += 1) {
          const rpl = matrix[prevRow + j]! + (char !== query.charCodeAt(j) ? 1 : 0);
          const del = matrix[prevRow + j + 1]! + 1;
          const ins = matrix[row + j]! + 1;
          const dist = Math.min(rpl, del, ins);
          matrix[row + j + 1] = dist;
          if (dist < minDistance) minDistance = dist;
        }
        if (minDistance > maxDistance) {
          // Every word starting with these i letters is as far: skip them.
          const stem = text.slice(start, start + i);
          while (w + 1 < size && this.startsWith(w + 1, stem)) w += 1;
          valid = i - 1;
          pruned = true;
          break;
        }
        valid = i;
      }
      if (pruned || length > last) continue;
      const distance = matrix[n * length + n - 1]!;
      if (distance <= maxDistance) out.push([w, distance]);
    }
    return out;
  }
}

/** Where each word starts in the words joined (UTF-16 units), and where the last ends. */
export function startsOf(words: readonly string[]): Uint32Array {
  const starts = new Uint32Array(words.length + 1);
  for (let i = 0; i < words.length; i += 1) starts[i + 1] = starts[i]! + words[i]!.length;
  return starts;
}

const NO_WORDS = new FrozenWords('', new Uint32Array(1), new Uint32Array(1), new Int32Array(0));

/**
 * The index's words and their postings: those read from a snapshot (FrozenWords, never
 * changed) under MiniSearch's radix tree for the words added or changed since, which hides
 * the frozen list of the same word. An index built from the catalog has only the tree.
 */
export class Vocabulary {
  private readonly changed = new SearchableMap<List>();
  /** Whether any word is in `changed` (SearchableMap counts its size by walking the tree). */
  private anyChanged = false;

  constructor(private readonly frozen: FrozenWords = NO_WORDS) {}

  get(term: string): List | undefined {
    const list = this.changed.get(term);
    if (list !== undefined) return list;
    const i = this.frozen.indexOf(term);
    return i === -1 ? undefined : this.frozen.list(i);
  }

  set(term: string, list: List): void {
    this.changed.set(term, list);
    this.anyChanged = true;
  }

  /** The words starting with `prefix` (itself included), with their postings. */
  *atPrefix(prefix: string): Generator<[string, List]> {
    const changed = this.anyChanged ? this.changed : undefined;
    for (const i of this.frozen.withPrefix(prefix)) {
      const word = this.frozen.word(i);
      if (!changed?.has(word)) yield [word, this.frozen.list(i)];
    }
    if (changed) yield* changed.atPrefix(prefix);
  }

  /** The words at most `maxDistance` edits from `term`: word → [postings, distance]. */
  fuzzyGet(term: string, maxDistance: number): Map<string, [List, number]> {
    const out = this.anyChanged ? this.changed.fuzzyGet(term, maxDistance) : new Map<string, [List, number]>();
    for (const [i, distance] of this.frozen.fuzzy(term, maxDistance)) {
      const word = this.frozen.word(i);
      if (!this.anyChanged || !this.changed.has(word)) out.set(word, [this.frozen.list(i), distance]);
    }
    return out;
  }

  /** Every word and its postings, in no particular order. */
  *entries(): Generator<[string, List]> {
    const changed = this.anyChanged ? this.changed : undefined;
    for (let i = 0; i < this.frozen.size; i += 1) {
      const word = this.frozen.word(i);
      if (!changed?.has(word)) yield [word, this.frozen.list(i)];
    }
    if (changed) yield* changed;
  }
}
