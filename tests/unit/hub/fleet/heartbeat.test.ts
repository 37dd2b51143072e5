import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Heartbeat } from '../../../../content/index.js';
import { HeartbeatWriter } from '../../../../hub/fleet/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { startTestHub, tempDir, testConfig } from '../../../support/hub.js';

describe('hub heartbeat', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  before(async () => {
    dir = tempDir('espace-heartbeat-');
    dbs = await openDatabases(dir.path, silentLogger());
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('writes one valid doc per hub with disk, temperature (null without a sensor) and counts', async () => {
    const config = testConfig(dir.path, { hubId: 'kayes-07', spaceName: 'Espace de Kayes 7' });
    await dbs.submissions.put({ _id: 'kayes-07:usage:2026-11-22', type: 'usage' });
    const seen: Heartbeat[] = [];
    const writer = new HeartbeatWriter({ config, dbs, version: '1.2.3', log: silentLogger(), onWrite: (h) => seen.push(h) });
    const first = await writer.writeNow();
    const stored = Heartbeat.parse(await dbs.fleet.get('kayes-07'));
    assert.equal(stored.hubId, 'kayes-07');
    assert.equal(stored.version, '1.2.3');
    assert.equal(stored.lastSync, null);
    assert.ok(stored.disk.totalBytes > 0 && stored.disk.freeBytes > 0 && stored.disk.freeBytes <= stored.disk.totalBytes);
    assert.ok(stored.temperatureC === null || (stored.temperatureC > -40 && stored.temperatureC < 130));
    assert.equal(stored.counts.submissions, 1);
    assert.deepEqual(seen, [first]);

    // The sync engine's hook: the next heartbeat carries the time of its last success.
    writer.setLastSyncSource(() => '2026-11-22T03:00:00.000Z');
    await writer.writeNow();
    const again = Heartbeat.parse(await dbs.fleet.get('kayes-07'));
    assert.equal(again.lastSync, '2026-11-22T03:00:00.000Z');
    assert.ok(again._rev!.startsWith('2-'));
    assert.equal((await dbs.fleet.allDocs()).rows.length, 1);
  });

  it('keeps writing when another writer changed the doc in between', async () => {
    const config = testConfig(dir.path, { hubId: 'kayes-08' });
    const writer = new HeartbeatWriter({ config, dbs, version: '1.2.3', log: silentLogger() });
    await Promise.all([writer.writeNow(), writer.writeNow(), dbs.fleet.put({ _id: 'kayes-09', type: 'other' })]);
    assert.ok((await dbs.fleet.get('kayes-08'))._rev.startsWith('2-'));
  });

  it('is written by the running hub as soon as it starts', async () => {
    const hub = await startTestHub({ hubId: 'kayes-hb' });
    try {
      let doc: unknown = null;
      for (let i = 0; i < 50 && !doc; i += 1) {
        doc = await hub.deps.dbs.fleet.get('kayes-hb').catch(() => null);
        if (!doc) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(Heartbeat.parse(doc).version, hub.deps.version);
    } finally {
      await hub.stop();
    }
  });
});
