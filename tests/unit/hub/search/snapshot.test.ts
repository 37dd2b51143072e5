import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { after, before, describe, it } from 'node:test';
import type { CatalogDoc } from '../../../../content/index.js';
import { Catalog } from '../../../../hub/catalog/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { SearchIndex, type SearchSource } from '../../../../hub/search/index.js';
import { crc32, SNAPSHOT_FORMAT } from '../../../../hub/search/snapshot.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { tempDir } from '../../../support/hub.js';

const fiche = (i: number, words: string) => ({
  _id: `document:d${i}`,
  type: 'document',
  audience: { all: true },
  kind: 'fiche',
  title: { fr: `Fiche ${i}` },
  summary: { fr: words },
});

/** The search index kept on disk: a start reads it, replays what changed since, and rebuilds only when it must. */
describe('search snapshot on disk', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  let source: SearchSource;
  let file: string;
  const ids = (index: SearchIndex, q: string) =>
    index
      .search(q, { lang: 'fr', limit: 100 })
      .map((h) => h.id)
      .sort();

  before(async () => {
    dir = tempDir('espace-search-snap-');
    dbs = await openDatabases(dir.path, silentLogger());
    await dbs.content.bulkDocs(Array.from({ length: 300 }, (_, i) => fiche(i, i % 10 === 0 ? 'le budget communal' : 'le marché du lundi')));
    const catalog = new Catalog(dbs.content, silentLogger());
    source = { updateSeq: () => catalog.updateSeq(), changesSince: (s, n) => catalog.changesSince(s, n), pages: () => catalog.pages() };
    file = join(dir.path, 'search', 'index.bin');
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('builds and writes the snapshot on the first start, then starts from it with the same answers', async () => {
    const first = new SearchIndex();
    assert.deepEqual(await first.start(source, file), { from: 'built', why: 'no snapshot yet' });
    const second = new SearchIndex();
    assert.deepEqual(await second.start(source, file), { from: 'snapshot', replayed: 0 });
    assert.equal(second.size, 300);
    assert.equal(ids(second, 'budget').length, 30);
    for (const q of ['budget', 'marche lundi', 'budjet communal', 'fiche 12']) assert.deepEqual(ids(second, q), ids(first, q), q);
  });

  it('replays the changes made since the snapshot (added, changed and deleted docs)', async () => {
    await dbs.content.put(fiche(1000, 'le grand baobab'));
    const old = await dbs.content.get('document:d0');
    await dbs.content.remove(old);
    const changed = await dbs.content.get('document:d10');
    await dbs.content.put({ ...changed, summary: { fr: 'le puits du quartier' } });
    const index = new SearchIndex();
    assert.deepEqual(await index.start(source, file), { from: 'snapshot', replayed: 3 });
    assert.deepEqual(ids(index, 'baobab'), ['document:d1000']);
    assert.equal(ids(index, 'budget').length, 28, 'the deleted and the changed doc no longer match');
    assert.deepEqual(ids(index, 'puits'), ['document:d10']);
    // The replay was written: the next start has nothing to replay.
    assert.deepEqual(await new SearchIndex().start(source, file), { from: 'snapshot', replayed: 0 });
  });

  it('reads no changes feed when the content has not moved since the snapshot', async () => {
    await new SearchIndex().start(source, file);
    let feeds = 0;
    const counting: SearchSource = { ...source, changesSince: (s, n) => ((feeds += 1), source.changesSince(s, n)) };
    assert.deepEqual(await new SearchIndex().start(counting, file), { from: 'snapshot', replayed: 0 });
    assert.equal(feeds, 0, 'nothing to replay: no feed read before the first search');
    await dbs.content.put(fiche(1003, 'le moulin'));
    const moved = new SearchIndex();
    assert.deepEqual(await moved.start(counting, file), { from: 'snapshot', replayed: 1 });
    assert.ok(feeds > 0);
    assert.deepEqual(ids(moved, 'moulin'), ['document:d1003']);
    await dbs.content.remove(await dbs.content.get('document:d1003'));
  });

  it('records the changes followed live, so a later start replays only what came after', async () => {
    const index = new SearchIndex();
    await index.start(source, file);
    const res = await dbs.content.put(fiche(1001, 'la pompe solaire'));
    const { lastSeq } = await source.changesSince(0, 100_000);
    index.apply(await dbs.content.get<never>(res.id), lastSeq);
    await index.persist(file);
    await dbs.content.put(fiche(1002, 'la pompe manuelle'));
    const next = new SearchIndex();
    assert.deepEqual(await next.start(source, file), { from: 'snapshot', replayed: 1 });
    assert.deepEqual(ids(next, 'pompe'), ['document:d1001', 'document:d1002']);
  });

  it('keeps the previous snapshot when a write was cut midway (only the temporary file is torn)', async () => {
    writeFileSync(`${file}.tmp`, readFileSync(file).subarray(0, 100));
    const index = new SearchIndex();
    assert.equal((await index.start(source, file)).from, 'snapshot');
    assert.deepEqual(ids(index, 'pompe'), ['document:d1001', 'document:d1002']);
  });

  it('rebuilds from the content when the snapshot is damaged or of another format, and says why', async () => {
    truncateSync(file, 200);
    const torn = await new SearchIndex().start(source, file);
    assert.deepEqual(torn, { from: 'built', why: 'checksum mismatch (torn or damaged file)' });
    const bytes = readFileSync(file);
    bytes.writeUInt32BE(999, 4);
    writeFileSync(file, bytes);
    const index = new SearchIndex();
    assert.deepEqual(await index.start(source, file), { from: 'built', why: `format 999, this hub reads ${SNAPSHOT_FORMAT}` });
    assert.deepEqual(ids(index, 'baobab'), ['document:d1000']);
    assert.equal((await new SearchIndex().start(source, file)).from, 'snapshot', 'the rebuilt index was written again');
  });

  it('rebuilds a snapshot of the previous format (node:v8 serialisation of a radix tree), then reads its own', async () => {
    const body = serialize({ seq: 1, docs: 1, postings: { tree: new Map([['baobab', new Map([['', [0x110]]])]]) } });
    const header = Buffer.alloc(40);
    header.write('ESPX', 0);
    header.writeUInt32BE(2, 4);
    createHash('sha256').update(body).digest().copy(header, 8);
    writeFileSync(file, Buffer.concat([header, body]));
    const index = new SearchIndex();
    assert.deepEqual(await index.start(source, file), { from: 'built', why: `format 2, this hub reads ${SNAPSHOT_FORMAT}` });
    assert.deepEqual(ids(index, 'baobab'), ['document:d1000']);
    assert.deepEqual(await new SearchIndex().start(source, file), { from: 'snapshot', replayed: 0 });
  });

  it('rebuilds a snapshot whose checksum holds but whose arrays do not match its header', async () => {
    const bytes = readFileSync(file);
    const body = bytes.subarray(40);
    // The JSON header's word count, one more than the arrays hold; the checksum made right again.
    const headLength = body.readUInt32LE(0);
    const head = JSON.parse(body.toString('utf8', 4, 4 + headLength)) as { words: number };
    const json = Buffer.from(JSON.stringify({ ...head, words: head.words + 1 }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length, 0);
    const rest = body.subarray(4 + headLength);
    // Keep the arrays at multiples of 4, as the writer does.
    const pad = Buffer.alloc((4 - ((4 + json.length) % 4)) % 4);
    const oldPad = (4 - ((4 + headLength) % 4)) % 4;
    const forged = Buffer.concat([length, json, pad, rest.subarray(oldPad)]);
    const header = Buffer.from(bytes.subarray(0, 40));
    header.writeUInt32BE(crc32(forged), 8);
    writeFileSync(file, Buffer.concat([header, forged]));
    const outcome = await new SearchIndex().start(source, file);
    assert.equal(outcome.from, 'built');
    assert.match((outcome as { why: string }).why, /^undecodable: /);
  });

  it('answers from a restored index as from a built one, through changes, removals and a sweep', async () => {
    const queries = ['budget', 'marche lundi', 'budjet communal', 'fiche 12', 'fich', 'baob', 'baobob', 'pompe', 'puit', 'lundii', 'nouveau', 'nouvo'];
    const restored = new SearchIndex();
    assert.equal((await restored.start(source, file)).from, 'snapshot');
    const built = new SearchIndex();
    await built.build(source.pages());
    // Doc numbers differ (the restored one replayed changes), so hits of equal score may come in another order.
    const hits = (index: SearchIndex, q: string) =>
      index
        .search(q, { lang: 'fr', limit: 1000 })
        .map((h) => `${h.id} ${h.title} ${h.score}`)
        .sort();
    for (const q of queries) assert.deepEqual(hits(restored, q), hits(built, q), q);
    // New words, new docs with known words, changed and removed docs: enough removals for a sweep.
    const changes: CatalogDoc[] = [
      ...Array.from({ length: 30 }, (_, i) => fiche(3000 + i, `le nouveau marché ${i % 2 ? 'du lundi' : 'du baobab'}`)),
      ...Array.from({ length: 150 }, (_, i) => fiche(i, i % 3 ? 'le puits nouveau' : 'le budget revu')),
    ] as CatalogDoc[];
    for (const index of [restored, built]) {
      for (const doc of changes) index.upsert(doc);
      for (let i = 150; i < 290; i += 1) index.remove(`document:d${i}`);
    }
    assert.equal(restored.size, built.size);
    for (const q of queries) assert.deepEqual(hits(restored, q), hits(built, q), q);
  });

  it('keeps the previous snapshot when the process writing a new one is killed midway', async () => {
    const before = readFileSync(file);
    rmSync(`${file}.tmp`, { force: true });
    // A child writes a snapshot far larger than the real one and is killed once the temporary file exists.
    const script = `
      import { writeSnapshot } from ${JSON.stringify(new URL('../../../../hub/search/snapshot.js', import.meta.url).href)};
      const words = Array.from({ length: 200000 }, (_, i) => 'w' + i).sort();
      const offsets = Uint32Array.from({ length: words.length + 1 }, (_, i) => i * 64);
      const metas = { length: 0, at: () => '' };
      const wordStarts = new Uint32Array(words.length + 1);
      words.forEach((w, i) => (wordStarts[i + 1] = wordStarts[i] + w.length));
      const postings = { words: words.join(''), wordStarts, offsets, postings: new Int32Array(words.length * 64), ids: [], types: new Uint16Array(0), typeNames: [], metas, titleLength: new Int32Array(0), textLength: new Int32Array(0), free: [], removed: 0, titleWords: 0, textWords: 0 };
      await writeSnapshot(${JSON.stringify(file)}, { seq: 999999, docs: 1, postings });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    while (!existsSync(`${file}.tmp`)) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok(readFileSync(file).equals(before), 'the snapshot in place is untouched');
    const index = new SearchIndex();
    assert.deepEqual(await index.start(source, file), { from: 'snapshot', replayed: 0 });
    assert.deepEqual(ids(index, 'pompe'), ['document:d1001', 'document:d1002']);
  });

  it('rebuilds when the content db is behind the snapshot (restored from an older copy)', async () => {
    const snap = readFileSync(file);
    const other = tempDir('espace-search-snap-other-');
    const older = await openDatabases(other.path, silentLogger());
    try {
      await older.content.bulkDocs([fiche(1, 'le vieux moulin'), fiche(2, 'le vieux puits')]);
      const catalog = new Catalog(older.content, silentLogger());
      const olderSource: SearchSource = {
        updateSeq: () => catalog.updateSeq(),
        changesSince: (s, n) => catalog.changesSince(s, n),
        pages: () => catalog.pages(),
      };
      const copied = join(other.path, 'index.bin');
      writeFileSync(copied, snap);
      const index = new SearchIndex();
      const outcome = await index.start(olderSource, copied);
      assert.equal(outcome.from, 'built');
      assert.match((outcome as { why: string }).why, /^the content is at 2, behind the snapshot's \d+$/);
      assert.equal(index.size, 2);
      assert.deepEqual(ids(index, 'pompe'), []);
      assert.deepEqual(ids(index, 'vieux'), ['document:d1', 'document:d2']);
    } finally {
      await closeDatabases(older);
      other.remove();
    }
  });

  it('rebuilds when too many changes came since the snapshot', async () => {
    await dbs.content.bulkDocs(Array.from({ length: 5100 }, (_, i) => fiche(2000 + i, 'la caisse de solidarité')));
    const index = new SearchIndex();
    assert.deepEqual(await index.start(source, file), { from: 'built', why: 'more than 5000 changes since the snapshot' });
    assert.equal(ids(index, 'solidarite').length, 100);
    assert.equal(index.size, 300 + 3 + 5100 - 1);
  });

  it('says when the snapshot is restored, or at once when a rebuild begins (the hub loads the rest then)', async () => {
    const restored = new SearchIndex();
    const started = restored.start(source, file);
    await restored.whenRestoredOrRebuilding();
    assert.equal(restored.isReady, true, 'restored: searches answered');
    await started;
    // No snapshot, and a catalog whose pages are held: the rebuild has begun, and is not done.
    rmSync(file, { force: true });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const rebuilt = new SearchIndex();
    const rebuilding = rebuilt.start(
      {
        ...source,
        pages: async function* () {
          await held;
          yield* source.pages();
        },
      },
      file
    );
    await rebuilt.whenRestoredOrRebuilding();
    assert.equal(rebuilt.isReady, false, 'still rebuilding');
    release();
    assert.deepEqual(await rebuilding, { from: 'built', why: 'no snapshot yet' });
    assert.equal(ids(rebuilt, 'budget').length, ids(restored, 'budget').length);
  });
});
