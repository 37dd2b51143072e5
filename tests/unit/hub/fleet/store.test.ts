import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Heartbeat } from '../../../../content/index.js';
import { freshenHeartbeat, HeartbeatWriter, writeHeartbeat } from '../../../../hub/fleet/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { tempDir, testConfig } from '../../../support/hub.js';

const beat = (hubId: string, version: string): Heartbeat => ({
  _id: hubId,
  type: 'heartbeat',
  hubId,
  spaceName: 'Espace',
  commune: 'kayes',
  region: 'kayes',
  version,
  at: '2026-11-22T03:00:00.000Z',
  uptimeSeconds: 1,
  disk: { freeBytes: 1, totalBytes: 2 },
  temperatureC: 41.5,
  lastSync: null,
  counts: {},
});

describe('the one writer of the heartbeat', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  before(async () => {
    dir = tempDir('espace-heartbeat-store-');
    dbs = await openDatabases(dir.path, silentLogger());
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('reads again and retries when another write lands between its read and its put', async () => {
    await dbs.fleet.put(beat('kayes-20', 'a') as never);
    let calls = 0;
    const doc = await writeHeartbeat(dbs.fleet, 'kayes-20', async (current) => {
      calls += 1;
      // The first time, another writer puts a newer revision before ours.
      if (calls === 1) await dbs.fleet.put({ ...beat('kayes-20', 'b'), _rev: current!._rev } as never);
      return { ...current!, version: `${current!.version}+mine` };
    });
    assert.equal(calls, 2);
    assert.equal(doc.version, 'b+mine', 'built from the revision the other writer put');
    const stored = Heartbeat.parse(await dbs.fleet.get('kayes-20'));
    assert.equal(stored.version, 'b+mine');
    assert.ok(stored._rev!.startsWith('3-'));
  });

  it('gives up with the conflict after three tries rather than loop', async () => {
    await dbs.fleet.put(beat('kayes-21', 'a') as never);
    let calls = 0;
    await assert.rejects(
      writeHeartbeat(dbs.fleet, 'kayes-21', async (current) => {
        calls += 1;
        await dbs.fleet.put({ ...current!, version: `other-${calls}` } as never);
        return { ...current!, version: 'mine' };
      }),
      (e: unknown) => (e as { status?: number }).status === 409
    );
    assert.equal(calls, 3);
    assert.equal(Heartbeat.parse(await dbs.fleet.get('kayes-21')).version, 'other-3');
  });

  it('refuses a doc that is not a heartbeat, writing nothing', async () => {
    await assert.rejects(
      writeHeartbeat(dbs.fleet, 'kayes-22', () => ({ ...beat('kayes-22', 'a'), disk: { freeBytes: -1, totalBytes: 2 } })),
      (e: unknown) => (e as { reason?: string }).reason === 'invalid-heartbeat'
    );
    assert.equal(await dbs.fleet.get('kayes-22').catch(() => null), null);
  });

  it("the sync's freshening and the scheduled writer write the same doc, keeping what the other measured", async () => {
    const config = testConfig(dir.path, { hubId: 'kayes-23' });
    const writer = new HeartbeatWriter({ config, dbs, version: '1.0.0', log: silentLogger() });
    const written = await writer.writeNow();
    await dbs.fleet.put({ ...((await dbs.fleet.get('kayes-23')) as object), temperatureC: 52.5 } as never);
    await Promise.all([
      freshenHeartbeat({ config, dbs, version: '1.0.1', at: '2026-11-23T03:00:00.000Z', lastSync: '2026-11-23T02:59:00.000Z' }),
      freshenHeartbeat({ config, dbs, version: '1.0.1', at: '2026-11-23T03:00:01.000Z', lastSync: '2026-11-23T02:59:00.000Z' }),
    ]);
    const stored = Heartbeat.parse(await dbs.fleet.get('kayes-23'));
    assert.equal(stored.version, '1.0.1');
    assert.equal(stored.lastSync, '2026-11-23T02:59:00.000Z');
    assert.equal(stored.temperatureC, 52.5, "the scheduled writer's measure is kept");
    assert.equal(stored.spaceName, written.spaceName);
    assert.ok(stored._rev!.startsWith('4-'));
  });
});
