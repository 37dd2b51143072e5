import SearchableMap from 'minisearch/SearchableMap';

/** A word's postings: a growing array while built, packed into an Int32Array once long (postings.ts). */
export type List = number[] | Int32Array;

/**
 * Words read back from a snapshot, as they lie in the file: sorted, with all their postings
 * in one Int32Array (word i's are `postings[offsets[i]..offsets[i + 1]]`). Nothing is built
 * to read them, where a radix tree of nested Maps took most of a start-up to restore and
 * its garbage collections; exact words and prefixes are found by binary search, typos by the
 * same Levenshtein walk as MiniSearch's tree (sorted words share their prefixes' rows).
 */
export class FrozenWords {
  constructor(
    readonly words: readonly string[],
    readonly offsets: Uint32Array,
    readonly postings: Int32Array
  ) {}

  get size(): number {
    return this.words.length;
  }

  list(i: number): Int32Array {
    return this.postings.subarray(this.offsets[i], this.offsets[i + 1]);
  }

  /** The first word not before `term`. */
  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  indexOf(term: string): number {
    const i = this.lowerBound(term);
    return this.words[i] === term ? i : -1;
  }

  /** Numbers of the words starting with `prefix` (itself included). */
  *withPrefix(prefix: string): Generator<number> {
    for (let i = this.lowerBound(prefix); i < this.words.length && this.words[i]!.startsWith(prefix); i += 1) yield i;
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
    let prev = '';
    // Rows 1..valid hold `prev`'s first letters.
    let valid = 0;
    const words = this.words;
    for (let w = 0; w < words.length; w += 1) {
      const word = words[w]!;
      let common = 0;
      const shared = Math.min(valid, word.length);
      while (common < shared && word.charCodeAt(common) === prev.charCodeAt(common)) common += 1;
      prev = word;
      valid = common;
      // Longer than the query by more than the distance: no row of its own is needed to say no,
      // but its rows up to m - 1 are still worth computing for the words after it.
      const last = Math.min(word.length, m - 1);
      let pruned = false;
      for (let i = common + 1; i <= last; i += 1) {
        const char = word[i - 1];
        const row = n * i;
        const prevRow = row - n;
        let minDistance = matrix[row]!;
        const jmin = Math.max(0, i - maxDistance - 1);
        const jmax = Math.min(n - 1, i + maxDistance);
        for (let j = jmin; j < jmax; j += 1) {
          const rpl = matrix[prevRow + j]! + (char !== query[j] ? 1 : 0);
          const del = matrix[prevRow + j + 1]! + 1;
          const ins = matrix[row + j]! + 1;
          const dist = Math.min(rpl, del, ins);
          matrix[row + j + 1] = dist;
          if (dist < minDistance) minDistance = dist;
        }
        if (minDistance > maxDistance) {
          // Every word starting with these i letters is as far: skip them.
          const stem = word.slice(0, i);
          while (w + 1 < words.length && words[w + 1]!.startsWith(stem)) w += 1;
          valid = i - 1;
          pruned = true;
          break;
        }
        valid = i;
      }
      if (pruned || word.length > last) continue;
      const distance = matrix[n * word.length + n - 1]!;
      if (distance <= maxDistance) out.push([w, distance]);
    }
    return out;
  }
}

const NO_WORDS = new FrozenWords([], new Uint32Array(1), new Int32Array(0));

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
      const word = this.frozen.words[i]!;
      if (!changed?.has(word)) yield [word, this.frozen.list(i)];
    }
    if (changed) yield* changed.atPrefix(prefix);
  }

  /** The words at most `maxDistance` edits from `term`: word → [postings, distance]. */
  fuzzyGet(term: string, maxDistance: number): Map<string, [List, number]> {
    const out = this.anyChanged ? this.changed.fuzzyGet(term, maxDistance) : new Map<string, [List, number]>();
    for (const [i, distance] of this.frozen.fuzzy(term, maxDistance)) {
      const word = this.frozen.words[i]!;
      if (!this.anyChanged || !this.changed.has(word)) out.set(word, [this.frozen.list(i), distance]);
    }
    return out;
  }

  /** Every word and its postings, in no particular order. */
  *entries(): Generator<[string, List]> {
    const changed = this.anyChanged ? this.changed : undefined;
    for (let i = 0; i < this.frozen.size; i += 1) {
      const word = this.frozen.words[i]!;
      if (!changed?.has(word)) yield [word, this.frozen.list(i)];
    }
    if (changed) yield* changed;
  }
}
