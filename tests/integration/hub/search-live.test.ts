import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { announcement, startTestHub, type TestHub } from '../../support/index.js';

/** The hub's search and content list follow the content db as it changes (sync, pack imports). */
describe('hub search and lists follow content changes', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
    await hub.deps.dbs.content.bulkDocs(
      Array.from({ length: 30 }, (_, i) => announcement(`a-${String(i).padStart(2, '0')}`, `Annonce ${i}`, `Réunion du quartier numéro ${i}.`))
    );
    await hub.deps.search.build(() => hub.deps.catalog.everything());
  });
  after(() => hub.stop());

  const search = async (q: string) =>
    ((await (await fetch(`${hub.url}/api/v1/search?q=${encodeURIComponent(q)}`)).json()) as { items: { id: string; title: string }[] }).items;
  const list = async (skip: number) =>
    (await (await fetch(`${hub.url}/api/v1/content?type=announcement&limit=20&skip=${skip}`)).json()) as { items: { _id: string }[]; total: number };
  /** Waits for the hub's changes feed to catch up (sync writes land the same way). */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('the hub did not follow the change within 5 s');
  }

  it('finds a new doc, its new words after an edit, and nothing once it is deleted', async () => {
    assert.deepEqual(await search('forage'), []);
    await hub.deps.dbs.content.put(announcement('forage', 'Nouveau forage à Kayes', 'Le forage du quartier est en service.'));
    await eventually(async () => (await search('forage')).length === 1);
    assert.equal((await search('forage'))[0]!.title, 'Nouveau forage à Kayes');
    const doc = await hub.deps.dbs.content.get('announcement:forage');
    await hub.deps.dbs.content.put({ ...doc, title: { fr: 'Panne du forage' }, body: { fr: 'Le château d’eau est en panne.' } });
    await eventually(async () => (await search('panne')).length === 1);
    assert.equal((await search('forage'))[0]!.title, 'Panne du forage');
    assert.deepEqual(await search('service'), [], 'the old body is no longer found');
    await hub.deps.dbs.content.remove(await hub.deps.dbs.content.get('announcement:forage'));
    await eventually(async () => (await search('panne')).length === 0);
    assert.deepEqual(await search('forage'), []);
  });

  it('pages a list with the right total as docs come and go', async () => {
    assert.deepEqual([(await list(0)).items.length, (await list(0)).total], [20, 30]);
    assert.deepEqual([(await list(20)).items.length, (await list(20)).total], [10, 30]);
    await hub.deps.dbs.content.bulkDocs([announcement('b-1', 'Encore', 'Un texte.'), announcement('b-2', 'Toujours', 'Un autre texte.')]);
    await eventually(async () => (await list(20)).total === 32);
    assert.deepEqual((await list(20)).items.map((d) => d._id).slice(-2), ['announcement:b-1', 'announcement:b-2']);
    assert.deepEqual((await list(40)).items, []);
  });
});
