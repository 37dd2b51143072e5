import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { spawnHub, tempDir } from '../../support/hub.js';
import { diskFull } from '../../fault/scenarios/disk-full.js';
import { HUB_ENV, killDuringSubmissions } from '../../fault/scenarios/power-cuts.js';
import { FaultTally } from '../../fault/scenarios/tally.js';

/**
 * The short fault suite run by `make test` (the long one is `make test-fault`), part 1: a few
 * power cuts and a disk filling up. Part 2 (input-and-abuse) fuzzes and floods.
 */
describe('faults (short): power cuts and a full disk', () => {
  const tally = new FaultTally();
  after(() => process.stdout.write(tally.summary()));

  it('kill -9 three times during concurrent submissions: every 201 is on disk and the hub starts again', async () => {
    const dir = tempDir('espace-faults-');
    try {
      const r = await killDuringSubmissions(tally, { dataDir: dir.path, cycles: 3, workers: 16, maxDelayMs: 600 });
      assert.ok(r.acked > 0, 'some writes were acknowledged before the cuts');
      assert.deepEqual(r.missing, []);
      const again = await spawnHub(dir.path, HUB_ENV);
      await again.stop();
    } finally {
      dir.remove();
    }
  });

  it('disk full: writes get 507, reads keep working, and after freeing space writes go on with nothing lost', async () => {
    const r = await diskFull(tally, { sizeMB: 16, writes: 150 });
    assert.ok(r.refusedWith507 > 0, `the full disk refused writes with 507 (${JSON.stringify(r)})`);
    assert.deepEqual(r.otherRefusals, {}, 'no other refusal than 507');
    for (const [path, status] of Object.entries(r.readsWhileFull)) assert.ok(status < 400, `${path} answered ${status} while the disk was full`);
    assert.equal(r.ackedAfterFreeing, 20, 'every write after freeing space is accepted');
    assert.deepEqual(r.missing, []);
    assert.ok(r.hubAlive);
  });
});
