import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Catalog } from '../../../../hub/catalog/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { tempDir } from '../../../support/hub.js';

const official = (i: number) => ({
  _id: `official:o-${String(i).padStart(3, '0')}`,
  type: 'official',
  audience: { all: true },
  name: `Élu ${i}`,
  sex: 'F',
  role: 'conseiller',
  commune: 'kayes',
  mandate: { start: 2023, end: 2028 },
});

/** Resolves once the catalog's changes feed has seen `n` more changes. */
function changes(catalog: Catalog, n: number): Promise<void> {
  const target = catalog.generation + n;
  return new Promise((resolve) => {
    const tick = () => (catalog.generation >= target ? resolve() : setTimeout(tick, 10));
    tick();
  });
}

describe('catalog lists', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  let catalog: Catalog;
  before(async () => {
    dir = tempDir('espace-catalog-');
    dbs = await openDatabases(dir.path, silentLogger());
    // 45 officials around one document and one organisation: type ranges must not bleed.
    await dbs.content.bulkDocs([
      { _id: 'document:a', type: 'document', audience: { all: true }, kind: 'fiche', title: { fr: 'A' } },
      ...Array.from({ length: 45 }, (_, i) => official(i)),
      { _id: 'organisation:z', type: 'organisation', audience: { all: true }, name: 'Zed', kind: 'association', domains: [] },
    ]);
    catalog = new Catalog(dbs.content, silentLogger());
    catalog.watch();
  });
  after(async () => {
    catalog.unwatch();
    await closeDatabases(dbs);
    dir.remove();
  });

  it('gives the page asked for and the whole type total, at every boundary', async () => {
    const ids = async (limit: number, skip: number) => {
      const { items, total } = await catalog.list('official', { limit, skip });
      assert.equal(total, 45);
      return items.map((d) => d._id);
    };
    const id = (i: number) => official(i)._id;
    assert.deepEqual(
      await ids(20, 0),
      Array.from({ length: 20 }, (_, i) => id(i))
    );
    assert.deepEqual(
      await ids(20, 20),
      Array.from({ length: 20 }, (_, i) => id(20 + i))
    );
    assert.deepEqual(await ids(20, 40), [40, 41, 42, 43, 44].map(id), 'the last page is short');
    assert.deepEqual(await ids(20, 44), [id(44)]);
    assert.deepEqual(await ids(20, 45), [], 'just past the end');
    assert.deepEqual(
      await ids(500, 0),
      Array.from({ length: 45 }, (_, i) => id(i)),
      'a limit above the total'
    );
    assert.deepEqual(await ids(1, 0), [id(0)]);
    const docs = await catalog.list('document', { limit: 10, skip: 0 });
    assert.deepEqual([docs.items.map((d) => d._id), docs.total], [['document:a'], 1]);
    assert.deepEqual(await catalog.list('event', { limit: 10, skip: 0 }), { items: [], total: 0 });
  });

  it('keeps the total current when docs are added and deleted', async () => {
    assert.equal((await catalog.list('official', { limit: 5, skip: 0 })).total, 45);
    let seen = changes(catalog, 2);
    await dbs.content.bulkDocs([official(100), official(101)]);
    await seen;
    assert.equal((await catalog.list('official', { limit: 5, skip: 45 })).total, 47);
    assert.deepEqual(
      (await catalog.list('official', { limit: 5, skip: 45 })).items.map((d) => d._id),
      ['official:o-100', 'official:o-101']
    );
    const doc = await dbs.content.get('official:o-000');
    seen = changes(catalog, 1);
    await dbs.content.remove(doc);
    await seen;
    const after = await catalog.list('official', { limit: 1, skip: 0 });
    assert.deepEqual([after.items[0]!._id, after.total], ['official:o-001', 46]);
  });

  it('reads every doc once, by pages, for one type or for all', async () => {
    const ids = (docs: { _id: string }[]) => docs.map((d) => d._id);
    const officials = ids(await catalog.all('official'));
    assert.equal(officials.length, (await catalog.list('official', { limit: 500, skip: 0 })).total);
    assert.deepEqual(officials, [...officials].sort(), 'in id order');
    assert.ok(officials.every((id) => id.startsWith('official:')));
    const pages: string[][] = [];
    for await (const page of catalog.pages('official', 7)) pages.push(ids(page));
    assert.deepEqual(pages.flat(), officials, 'pages of 7 give the same docs, none twice');
    assert.ok(pages.slice(0, -1).every((p) => p.length === 7));
    const everything = ids(await catalog.everything());
    assert.deepEqual(
      everything.filter((id) => id.startsWith('official:')),
      officials
    );
    assert.ok(everything.includes('document:a') && everything.includes('organisation:z'));
    assert.equal(new Set(everything).size, everything.length);
    assert.deepEqual(await catalog.all('event'), []);
  });

  it('counts fresh on every call when not watching the database', async () => {
    const cold = new Catalog(dbs.content, silentLogger());
    const before = await cold.count('organisation');
    await dbs.content.put({ _id: 'organisation:y', type: 'organisation', audience: { all: true }, name: 'Yé', kind: 'association', domains: [] });
    assert.equal(await cold.count('organisation'), before + 1);
  });

  it('follows from a sequence read earlier: changes made before watch() are heard (the hub follows after its first search)', async () => {
    const late = new Catalog(dbs.content, silentLogger());
    const since = await late.updateSeq();
    await dbs.content.put(official(900));
    await dbs.content.put({ ...(await dbs.content.get('organisation:z')), name: 'Zed 2' });
    const heard: string[] = [];
    late.onChange((doc) => heard.push(doc._id));
    late.watch(since);
    try {
      await changes(late, 2);
      assert.deepEqual(heard, ['official:o-900', 'organisation:z']);
      await dbs.content.put(official(901));
      await changes(late, 1);
      assert.deepEqual(heard.slice(2), ['official:o-901'], 'and those made after, live');
    } finally {
      late.unwatch();
    }
  });
});
