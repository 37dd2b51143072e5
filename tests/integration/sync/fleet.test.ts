import { setTimeout as sleep } from 'node:timers/promises';
import { hubCentralDb } from '../../../content/index.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { centralIds, publishAnnouncements, startSyncHub, writeSubmissions, type SyncHub } from '../../support/sync-fixtures.js';

const HUBS = 50;
const EACH = 10;

describe(`${HUBS} hubs syncing at once against one central`, () => {
  let central: TestCentral;
  const hubs: SyncHub[] = [];

  before(async () => {
    central = await startTestCentral();
    await publishAnnouncements(central, 'tous', 10, { all: true });
    await publishAnnouncements(central, 'pair', 4, { communes: ['commune-pair'] });
    await publishAnnouncements(central, 'impair', 3, { communes: ['commune-impair'] });
    const made = await Promise.all(
      Array.from({ length: HUBS }, async (_, i) => {
        const hubId = `flotte-${String(i).padStart(2, '0')}`;
        const e = await central.enroll(hubId);
        const hub = await startSyncHub({
          hubId,
          commune: i % 2 ? 'commune-impair' : 'commune-pair',
          centralUrl: central.url,
          username: e.username,
          password: e.password,
        });
        await writeSubmissions(hub.dbs, hubId, EACH);
        return hub;
      })
    );
    hubs.push(...made);
  });
  after(async () => {
    for (const h of hubs) await h.close();
    await central.stop();
  });

  it('converges: every submission at central once, every hub with exactly its content', async () => {
    const t0 = Date.now();
    const results = await Promise.all(hubs.map((h) => h.engine.runNow('fleet')));
    process.stdout.write(`# ${HUBS} hubs synced at once in ${Date.now() - t0} ms\n`);
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => JSON.stringify(r.classes)),
      []
    );
    for (const h of hubs) assert.equal((await centralIds(central, hubCentralDb(h.hubId), `${h.hubId}:`)).length, EACH, h.hubId);
    // CouchDB's replicator (the stand-in's) merges the hubs' databases into submissions, and the heartbeats into fleet.
    const deadline = Date.now() + 60_000;
    // The merged database holds each hub's heartbeat too (id = hub id): count the submissions only.
    const merged = async () => (await centralIds(central, 'submissions', 'flotte-')).filter((id) => id.includes(':')).length;
    while ((await merged()) < HUBS * EACH && Date.now() < deadline) await sleep(250);
    process.stdout.write(`# ${HUBS} hubs merged into submissions ${Date.now() - t0} ms after the syncs began\n`);
    assert.equal(await merged(), HUBS * EACH);
    while ((await centralIds(central, 'fleet', 'flotte-')).length < HUBS && Date.now() < deadline) await sleep(250);
    assert.equal((await centralIds(central, 'fleet', 'flotte-')).length, HUBS);
    for (const [i, h] of hubs.entries()) {
      assert.equal((await h.dbs.content.info()).doc_count, 10 + (i % 2 ? 3 : 4), h.hubId);
      assert.deepEqual(await h.engine.unconfirmed(), [], h.hubId);
    }
  });
});
