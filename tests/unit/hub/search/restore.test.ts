import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Postings, type QueryTerm } from '../../../../hub/search/postings.js';
import { crc32, readSnapshot, writeSnapshot, type SnapshotRead } from '../../../../hub/search/snapshot.js';
import { tempDir } from '../../../support/hub.js';

const WORDS = ['budget', 'budgets', 'commune', 'communal', 'ecole', 'ecoles', 'marche', 'puits', 'baobab', 'fonio', 'mil', 'riz', 'élève'];
const TYPES = ['document', 'event', 'lesson', 'organisation'];
const QUERIES: [QueryTerm[], { and: boolean; titlesOnly?: boolean; type?: string }][] = [
  ...WORDS.map((term): [QueryTerm[], { and: boolean }] => [[{ term, prefix: false, fuzzy: 0 }], { and: true }]),
  [[{ term: 'bud', prefix: true, fuzzy: 0 }], { and: true }],
  [[{ term: 'com', prefix: true, fuzzy: 0 }], { and: true, titlesOnly: true }],
  [[{ term: 'budjet', prefix: true, fuzzy: 1 }], { and: true }],
  [[{ term: 'ecoel', prefix: false, fuzzy: 2 }], { and: true }],
  [
    [
      { term: 'puits', prefix: true, fuzzy: 0 },
      { term: 'mil', prefix: false, fuzzy: 0 },
    ],
    { and: false },
  ],
  [
    [
      { term: 'puits', prefix: true, fuzzy: 0 },
      { term: 'mil', prefix: false, fuzzy: 0 },
    ],
    { and: true },
  ],
  [[{ term: 'marche', prefix: true, fuzzy: 0 }], { and: true, type: 'event' }],
  [[{ term: 'marche', prefix: true, fuzzy: 0 }], { and: true, type: 'course' }],
];

/** Every query's hits as "id score", in the index's order (doc numbers are kept by a restore). */
function answers(index: Postings): string[][] {
  return QUERIES.map(([terms, opts]) => index.search(terms, opts).map(({ doc, score }) => `${index.idOf(doc)} ${index.metaOf(doc)} ${score}`));
}

const doc = fc.record({
  id: fc.oneof(fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5', 'd6'), fc.string({ minLength: 1, maxLength: 8 }), fc.constant('document:é—🌍')),
  type: fc.constantFrom(...TYPES),
  title: fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }),
  text: fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }),
});
/** Adds (or changes) a doc, or removes one. */
const change = fc.oneof(
  { weight: 3, arbitrary: doc.map((d) => ({ add: d })) },
  fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5', 'd6').map((id) => ({ remove: id }))
);
type Change = { add: { id: string; type: string; title: string[]; text: string[] } } | { remove: string };

function apply(index: Postings, changes: Change[]): void {
  for (const c of changes) {
    if ('remove' in c) index.remove(c.remove);
    else index.add(c.add.id, c.add.type, JSON.stringify([c.add.type, c.add.title.join(' ')]), c.add.title, c.add.text);
  }
}

function ok(read: SnapshotRead) {
  assert.equal(read.kind, 'ok', read.kind === 'unusable' ? read.why : read.kind);
  return read.snapshot;
}

/** The index restored from its snapshot: views on the file's bytes, which a change must not write through. */
describe('search index restored from its snapshot', () => {
  let dir: { path: string; remove(): void };
  before(() => (dir = tempDir('espace-search-restore-')));
  after(() => dir.remove());

  it('answers as the index it was written from, before and after the same changes', async () => {
    const file = join(dir.path, 'property.bin');
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 40 }), fc.array(change, { maxLength: 20 }), async (first, then) => {
        const index = new Postings();
        apply(index, first);
        await writeSnapshot(file, { seq: 7, docs: index.size, postings: index.toState() });
        const snapshot = ok(await readSnapshot(file));
        assert.equal(snapshot.seq, 7);
        const restored = Postings.fromState(snapshot.postings);
        assert.equal(restored.size, index.size);
        assert.deepEqual(answers(restored), answers(index));
        const views = [snapshot.postings.types, snapshot.postings.titleLength, snapshot.postings.textLength];
        const before = views.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex'));
        apply(index, then);
        apply(restored, then);
        assert.equal(restored.size, index.size);
        for (const c of then) if ('add' in c) assert.equal(restored.has(c.add.id), index.has(c.add.id));
        assert.deepEqual(answers(restored), answers(index));
        assert.deepEqual(
          views.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')),
          before,
          'the file bytes are untouched: copied at the first change'
        );
        // And written again from the restored and changed index, read back the same.
        await writeSnapshot(file, { seq: 8, docs: restored.size, postings: restored.toState() });
        assert.deepEqual(answers(Postings.fromState(ok(await readSnapshot(file)).postings)), answers(index));
      }),
      { numRuns: 60 }
    );
  });

  it('answers a doc changed, added or removed after the restore, and its type', async () => {
    const file = join(dir.path, 'changed.bin');
    const index = new Postings();
    for (let i = 0; i < 50; i += 1) index.add(`document:d${i}`, 'document', `["document","d${i}"]`, ['fiche'], [i % 2 ? 'mil' : 'riz']);
    await writeSnapshot(file, { seq: 1, docs: index.size, postings: index.toState() });
    const restored = Postings.fromState(ok(await readSnapshot(file)).postings);
    const ids = (term: string, type?: string) =>
      restored
        .search([{ term, prefix: false, fuzzy: 0 }], { and: true, type })
        .map((h) => restored.idOf(h.doc))
        .sort();
    assert.equal(ids('mil').length, 25);
    restored.add('document:d1', 'event', '["event","d1"]', ['atelier'], ['fonio']);
    restored.add('event:new', 'event', '["event","new"]', ['atelier'], ['mil']);
    restored.remove('document:d3');
    assert.equal(restored.size, 50);
    assert.deepEqual(ids('fonio'), ['document:d1']);
    assert.deepEqual(ids('atelier', 'event'), ['document:d1', 'event:new']);
    assert.deepEqual(ids('atelier', 'document'), []);
    assert.equal(ids('mil').length, 24, 'd1 changed, d3 removed, event:new added');
    assert.deepEqual(ids('mil', 'event'), ['event:new']);
    assert.equal(ids('riz').length, 25);
    assert.ok(!restored.has('document:d3'));
    assert.equal(restored.metaOf(restored.search([{ term: 'fonio', prefix: false, fuzzy: 0 }], { and: true })[0]!.doc), '["event","d1"]');
  });

  it('says a damaged, truncated or foreign file is unusable, never throws on one', async () => {
    const file = join(dir.path, 'damaged.bin');
    const index = new Postings();
    for (let i = 0; i < 20; i += 1) index.add(`document:d${i}`, 'document', '[]', ['fiche'], ['mil', `m${i}`]);
    await writeSnapshot(file, { seq: 1, docs: index.size, postings: index.toState() });
    const good = readFileSync(file);
    const withCrc = (body: Buffer) => {
      const header = Buffer.from(good.subarray(0, 40));
      header.writeUInt32BE(crc32(body), 8);
      return Buffer.concat([header, body]);
    };
    const cases: [string, Buffer, RegExp][] = [
      ['a flipped bit', Buffer.from(good).fill(good[good.length - 10]! ^ 1, good.length - 10, good.length - 9), /^checksum mismatch/],
      ['torn', good.subarray(0, good.length - 100), /^checksum mismatch/],
      ['shorter than its header', good.subarray(0, 20), /^not a search snapshot$/],
      ['empty', Buffer.alloc(0), /^not a search snapshot$/],
      ['truncated, its checksum made right', withCrc(good.subarray(40, good.length - 100)), /^undecodable: /],
      ['cut inside its arrays, its checksum made right', withCrc(good.subarray(40, 400)), /^undecodable: /],
      ['a header length past its end, its checksum made right', withCrc(Buffer.from([0xff, 0xff, 0, 0, 0x7b])), /^undecodable: /],
    ];
    for (const [what, bytes, why] of cases) {
      writeFileSync(file, bytes);
      const read = await readSnapshot(file);
      assert.equal(read.kind, 'unusable', what);
      assert.match((read as { why: string }).why, why, what);
    }
    assert.deepEqual(await readSnapshot(join(dir.path, 'none.bin')), { kind: 'missing' });
  });
});
