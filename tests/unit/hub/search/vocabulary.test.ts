import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import SearchableMap from 'minisearch/SearchableMap';
import { crc32, crc32Js } from '../../../../hub/search/snapshot.js';
import { FrozenWords, Vocabulary, type List } from '../../../../hub/search/vocabulary.js';

/** Words sharing prefixes, of all lengths, with accents folded away as the index has them. */
function someWords(): string[] {
  const stems = ['ba', 'bao', 'baobab', 'bud', 'budget', 'com', 'commune', 'communal', 'e', 'ecole', 'ecoles', 'ma', 'marche', 'puits', 'puit', 'z'];
  const ends = ['', 's', 'e', 'es', 'al', 'aux', 'x', 'ment', 'ations', 'ier', 'ière'];
  const words = new Set<string>();
  for (const s of stems) for (const e of ends) words.add(s + e);
  for (let i = 0; i < 300; i += 1) words.add(`m${(i * 7919).toString(36)}`);
  return [...words].sort();
}

function frozen(words: string[]): FrozenWords {
  const offsets = Uint32Array.from({ length: words.length + 1 }, (_, i) => i * 2);
  const postings = Int32Array.from({ length: words.length * 2 }, (_, i) => i);
  return FrozenWords.of(words, offsets, postings);
}

const asArray = (list: List | undefined) => (list ? Array.from(list) : undefined);

describe('search vocabulary read from a snapshot', () => {
  const words = someWords();
  const tree = new SearchableMap<number>();
  words.forEach((w, i) => tree.set(w, i));
  const vocab = frozen(words);

  it('finds the words a typo away as MiniSearch’s radix tree does, with the same distances', () => {
    const queries = ['budjet', 'baobob', 'comune', 'ecol', 'marhce', 'puis', 'e', 'zz', 'ecolesss', 'communaux', 'mxyz', 'budgetaire', ''];
    for (const q of queries) {
      for (const d of [1, 2]) {
        const expected = [...tree.fuzzyGet(q, d)].map(([w, [, dist]]) => `${w}:${dist}`).sort();
        const got = vocab
          .fuzzy(q, d)
          .map(([i, dist]) => `${words[i]}:${dist}`)
          .sort();
        assert.deepEqual(got, expected, `${q} within ${d}`);
      }
    }
  });

  it('finds exact words and prefixes by binary search', () => {
    assert.equal(vocab.indexOf('budget'), words.indexOf('budget'));
    assert.equal(vocab.indexOf('budge'), -1);
    assert.equal(vocab.indexOf('zzz'), -1);
    for (const p of ['bud', 'ecole', 'm', 'q', 'zzz'])
      assert.deepEqual(
        [...vocab.withPrefix(p)].map((i) => words[i]),
        words.filter((w) => w.startsWith(p)),
        p
      );
  });

  it('reads words of any letters from their one text as from a list of strings (exact, prefix, typos)', () => {
    const letter = fc.constantFrom('a', 'b', 'e', 'é', 'è', 'ß', 'ŋ', 'ɛ', '𝒜', '😀', '\u{10ffff}');
    const word = fc.array(letter, { minLength: 1, maxLength: 6 }).map((l) => l.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 60 }), fc.array(word, { minLength: 1, maxLength: 8 }), (list, queries) => {
        const sorted = [...list].sort();
        const v = frozen(sorted);
        const map = new SearchableMap<number>();
        sorted.forEach((w, i) => map.set(w, i));
        assert.equal(v.size, sorted.length);
        sorted.forEach((w, i) => assert.equal(v.word(i), w));
        for (const q of [...queries, ...queries.map((w) => w.slice(0, 1))]) {
          assert.equal(v.indexOf(q), sorted.indexOf(q), q);
          assert.deepEqual(
            [...v.withPrefix(q)].map((i) => sorted[i]),
            sorted.filter((w) => w.startsWith(q)),
            q
          );
          const expected = [...map.fuzzyGet(q, 1)].map(([w, [, d]]) => `${w}:${d}`).sort();
          assert.deepEqual(
            v
              .fuzzy(q, 1)
              .map(([i, d]) => `${sorted[i]}:${d}`)
              .sort(),
            expected,
            q
          );
        }
      }),
      { numRuns: 200 }
    );
  });

  it('sees the words added or changed since over the frozen ones', () => {
    const v = new Vocabulary(vocab);
    const budget = words.indexOf('budget');
    assert.deepEqual(asArray(v.get('budget')), [budget * 2, budget * 2 + 1]);
    v.set('budget', [7]);
    v.set('budgetaire', [8]);
    assert.deepEqual(asArray(v.get('budget')), [7]);
    const prefixed = new Map([...v.atPrefix('budget')].map(([w, l]) => [w, asArray(l)]));
    assert.deepEqual(prefixed.get('budget'), [7]);
    assert.deepEqual(prefixed.get('budgetaire'), [8]);
    assert.equal([...v.atPrefix('budget')].filter(([w]) => w === 'budget').length, 1, 'the frozen list is hidden');
    const fuzzy = v.fuzzyGet('budjet', 1);
    assert.deepEqual(asArray(fuzzy.get('budget')?.[0]), [7]);
    const all = [...v.entries()];
    assert.equal(all.length, words.length + 1);
    assert.equal(new Set(all.map(([w]) => w)).size, all.length);
  });

  it('checks files with the same CRC-32 as zlib when zlib has none', () => {
    const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 31) & 0xff));
    const zlibCrc32 = (zlib as Partial<typeof zlib>).crc32;
    if (zlibCrc32) assert.equal(crc32Js(data), zlibCrc32(data));
    assert.equal(crc32Js(data.subarray(5000), crc32Js(data.subarray(0, 5000))), crc32Js(data), 'chunk by chunk');
    if (zlibCrc32) assert.equal(crc32(data.subarray(777), crc32(data.subarray(0, 777))), zlibCrc32(data));
    // The check value of the standard CRC-32.
    assert.equal(crc32Js(Buffer.from('123456789')), 0xcbf43926);
  });
});
