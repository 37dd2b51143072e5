import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPack } from '../../../content/pack/index.js';
import { couch, publishPack } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { startSyncHub, type SyncHub } from '../../support/sync-fixtures.js';
import { fixtureKey, tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';

/**
 * Issue 13, item 8: a hub removes the content docs that no longer match its audience or that
 * a newer pack dropped, and never what it wrote itself.
 */
describe('content narrowed away or dropped by a newer pack leaves the hub; its own stays', () => {
  const work = tempDir('espace-narrowed-');
  const key = fixtureKey('narrow-key');
  let central: TestCentral;
  let hub: SyncHub;
  let v1: string;
  let v2: string;

  const has = async (id: string) =>
    await hub.dbs.content.get(id).then(
      () => true,
      () => false
    );
  const sync = async () => {
    const r = await hub.engine.runNow('test');
    assert.equal(r.ok, true, JSON.stringify(r));
  };

  before(async () => {
    writeFixturePack(join(work.path, 'v1'));
    writeFixturePack(join(work.path, 'v2'), { version: '1.1.0', withoutOfficial: true });
    v1 = (await buildPack(join(work.path, 'v1'), key.signing, join(work.path, 'v1.espack'))).file;
    v2 = (await buildPack(join(work.path, 'v2'), key.signing, join(work.path, 'v2.espack'))).file;
    central = await startTestCentral();
    await publishPack(v1, central.url, central.editor, [key.trusted]);
    const e = await central.enroll('kayes-01');
    hub = await startSyncHub({ hubId: 'kayes-01', centralUrl: central.url, username: e.username, password: e.password });
    await sync();
  });
  after(async () => {
    await hub?.close();
    await central?.stop();
    work.remove();
  });

  it('holds what the first version published, and what the space wrote itself', async () => {
    for (const id of ['course:budget', 'official:fixture-maire', 'document:pdesc']) assert.ok(await has(id), id);
    await hub.dbs.content.put({
      _id: 'event:atelier-local',
      type: 'event',
      kind: 'atelier',
      audience: { hubs: ['kayes-01'] },
      title: { fr: 'Atelier de l’espace' },
      startsAt: '2027-01-15T09:00:00Z',
      place: 'Espace de Kayes',
      commune: 'kayes',
      capacity: 20,
    });
  });

  it('a doc central narrowed to another commune goes; the space’s own event stays', async () => {
    const doc = await couch(central.url, 'content/document:pdesc', central.editor);
    const put = await couch(central.url, 'content/document:pdesc', central.editor, { method: 'PUT', body: { ...doc.body, audience: { communes: ['nioro'] } } });
    assert.equal(put.status, 201);
    await sync();
    assert.equal(await has('document:pdesc'), false, 'narrowed away');
    assert.ok(await has('course:budget'));
    assert.ok(await has('event:atelier-local'), 'what the hub wrote stays');
  });

  it('a newer pack that drops a doc removes it at central, then on the hub', async () => {
    const preview = await publishPack(v2, central.url, central.editor, [key.trusted], { dryRun: true });
    assert.deepEqual(preview.removed, ['official:fixture-maire']);
    assert.equal((await couch(central.url, 'content/official:fixture-maire', central.editor)).status, 200, 'a dry run removes nothing');
    const r = await publishPack(v2, central.url, central.editor, [key.trusted]);
    assert.deepEqual(r.removed, ['official:fixture-maire']);
    assert.equal((await couch(central.url, 'content/official:fixture-maire', central.editor)).status, 404);
    await sync();
    assert.equal(await has('official:fixture-maire'), false);
    assert.ok(await has('event:atelier-local'));
    assert.deepEqual((await publishPack(v2, central.url, central.editor, [key.trusted], { dryRun: true })).removed, [], 'nothing left to remove');
  });

  it('a doc widened again comes back', async () => {
    const doc = await couch(central.url, 'content/document:pdesc', central.editor);
    assert.equal(
      (await couch(central.url, 'content/document:pdesc', central.editor, { method: 'PUT', body: { ...doc.body, audience: { all: true } } })).status,
      201
    );
    await sync();
    assert.ok(await has('document:pdesc'));
  });
});
