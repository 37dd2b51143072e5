import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Catalog } from '../../../../hub/catalog/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { ContentDigest, pageOf } from '../../../../hub/portal/index.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { tempDir } from '../../../support/hub.js';

const doc = (i: number, publishedAt = `2026-01-${String((i % 28) + 1).padStart(2, '0')}`) => ({
  _id: `document:d-${String(i).padStart(4, '0')}`,
  type: 'document',
  audience: { all: true },
  kind: 'fiche',
  title: { fr: `Fiche ${i}` },
  summary: { fr: 'Résumé' },
  publishedAt,
});

/** Resolves once the catalog's changes feed has seen `n` more changes than `from`. */
async function seen(catalog: Catalog, from: number, n: number): Promise<void> {
  for (let i = 0; i < 500 && catalog.generation < from + n; i += 1) await new Promise((r) => setTimeout(r, 10));
  assert.ok(catalog.generation >= from + n, 'the changes feed did not report the writes');
}

describe('content digest', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  let catalog: Catalog;
  before(async () => {
    dir = tempDir('espace-digest-');
    dbs = await openDatabases(dir.path, silentLogger());
    await dbs.content.bulkDocs(Array.from({ length: 1200 }, (_, i) => doc(i)));
    catalog = new Catalog(dbs.content, silentLogger());
    catalog.watch();
  });
  after(async () => {
    catalog.unwatch();
    await closeDatabases(dbs);
    dir.remove();
  });

  it('keeps summaries right when docs change while the type is being read, and after', async () => {
    const digest = new ContentDigest({ catalog, dbs });
    const gen = catalog.generation;
    const building = digest.of('document');
    // Written while the 1 200 docs are read by pages of 200: queued and applied after, or applied directly.
    const old = await dbs.content.get('document:d-0005');
    await Promise.all([dbs.content.put(doc(5000, '2027-01-01')), dbs.content.remove(old)]);
    const summaries = await building;
    await seen(catalog, gen, 2);
    assert.equal(summaries.size, 1200);
    assert.equal(summaries.byId.has('document:d-0005'), false);
    assert.equal(summaries.byId.get('document:d-5000')?.publishedAt, '2027-01-01');
    // Later changes too; and the sorted order is recomputed after each.
    const newest = () => summaries.sorted('newest', (a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id))[0]?.id;
    assert.equal(newest(), 'document:d-5000');
    const g2 = catalog.generation;
    await dbs.content.put(doc(5001, '2027-02-01'));
    await seen(catalog, g2, 1);
    assert.equal(newest(), 'document:d-5001');
    assert.equal(summaries.size, 1201);
  });

  it('reads only the docs asked for, in the order asked, leaving out those gone', async () => {
    const digest = new ContentDigest({ catalog, dbs });
    const docs = await digest.docs('document', ['document:d-0100', 'document:absent', 'document:d-0005', 'document:d-0002']);
    assert.deepEqual(
      docs.map((d) => d._id),
      ['document:d-0100', 'document:d-0002']
    );
    assert.deepEqual(await digest.docs('document', []), []);
  });
});

describe('page numbers', () => {
  it('takes whole numbers from 1, clamps to the last page, refuses the rest with 400', () => {
    assert.deepEqual(pageOf({}, 45, 20), { page: 1, pages: 3, start: 0, end: 20 });
    assert.deepEqual(pageOf({ page: '3' }, 45, 20), { page: 3, pages: 3, start: 40, end: 45 });
    assert.deepEqual(pageOf({ page: '99' }, 45, 20), { page: 3, pages: 3, start: 40, end: 45 });
    assert.deepEqual(pageOf({ page: '1' }, 0, 20), { page: 1, pages: 1, start: 0, end: 0 });
    assert.deepEqual(pageOf({ p: '2' }, 45, 20, 'p'), { page: 2, pages: 3, start: 20, end: 40 });
    for (const bad of ['0', '-2', '01', 'x', '2.0', ' 2', '', '1234567890']) {
      assert.throws(
        () => pageOf({ page: bad }, 45, 20),
        (e: { status?: number; reason?: string }) => e.status === 400 && e.reason === 'bad-page',
        bad
      );
    }
    assert.throws(
      () => pageOf({ page: ['1', '2'] }, 45, 20),
      (e: { status?: number }) => e.status === 400
    );
  });
});
