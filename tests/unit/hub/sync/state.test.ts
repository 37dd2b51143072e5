import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases } from '../../../../hub/storage/index.js';
import { SyncEngine, SyncStateCorrupt } from '../../../../hub/sync/index.js';
import { STATE_ID } from '../../../../hub/sync/state.js';
import { tempDir, testConfig } from '../../../support/hub.js';

describe('the stored sync state', () => {
  it("damaged: a clear error, no run, and the day's budget and checkpoint are not reset", async () => {
    const dir = tempDir();
    const log = silentLogger();
    const config = testConfig(dir.path, { central: { url: 'http://127.0.0.1:9', username: 'hub', password: 'pw' } });
    const dbs = await openDatabases(config.dataDir, log);
    try {
      // 40 MB already spent today and a checkpoint, but the meter's count is garbled.
      const damaged = { _id: STATE_ID, state: { meter: { day: '2026-12-02', bytesToday: 'forty', byClass: {} }, pushedSeq: 812 } };
      await dbs.submissions.put(damaged as never);
      const engine = await SyncEngine.create({ config, dbs, media: new MediaStore(config.dataDir), log, version: 'test' });
      const status = engine.status();
      assert.match(
        status.stateError ?? '',
        /sync state \(_local\/espace-sync in the submissions database\) is damaged \(state\.meter\.bytesToday: .+\); sync is stopped/
      );
      await assert.rejects(engine.runNow('manual'), (e: unknown) => e instanceof SyncStateCorrupt && e.reason === 'sync-state-corrupt');
      await engine.stop();
      const kept = (await dbs.submissions.get(STATE_ID)) as unknown as typeof damaged;
      assert.deepEqual(kept.state, damaged.state, 'the damaged state is left as it was, not replaced by an empty day');

      // A fresh hub (no state yet) starts from an empty state, as before.
      await dbs.submissions.remove(STATE_ID, (await dbs.submissions.get(STATE_ID))._rev);
      const fresh = await SyncEngine.create({ config, dbs, media: new MediaStore(config.dataDir), log, version: 'test' });
      assert.equal(fresh.status().stateError, null);
      assert.equal(fresh.status().budget.bytesToday, 0);
      await fresh.stop();
    } finally {
      await closeDatabases(dbs);
      dir.remove();
    }
  });
});
