import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../../hub/storage/index.js';
import { confirmedInBamako, UnconfirmedSubmissions } from '../../../../hub/sync/index.js';
import { emptyState, saveState } from '../../../../hub/sync/state.js';
import { tempDir } from '../../../support/hub.js';

describe('the memoised unconfirmed submissions', () => {
  it('follows new submissions and the push checkpoint, and agrees with a full read', async () => {
    const dir = tempDir();
    const dbs = await openDatabases(dir.path, silentLogger());
    try {
      const db = dbs.submissions;
      const put = async (n: number) => (await db.put({ _id: `h:response:${String(n).padStart(8, '0')}`, type: 'response' } as never)).id;
      const a = await put(1);
      const b = await put(2);
      const memo = new UnconfirmedSubmissions(db);
      assert.deepEqual(Object.fromEntries(await memo.confirmed([a, b, 'h:response:missing'])), { [a]: false, [b]: false, 'h:response:missing': false });

      // Central acknowledged everything so far.
      const state = emptyState();
      state.pushedSeq = (await db.info()).update_seq as number;
      await saveState(db, state);
      assert.deepEqual(Object.fromEntries(await memo.confirmed([a, b])), { [a]: true, [b]: true });

      // A new one arrives, and one is refused by central.
      const c = await put(3);
      state.denied = [a];
      await saveState(db, state);
      const got = Object.fromEntries(await memo.confirmed([a, b, c]));
      assert.deepEqual(got, { [a]: false, [b]: true, [c]: false });
      assert.deepEqual(got, Object.fromEntries(await confirmedInBamako(db, [a, b, c])), 'the same answer as reading everything again');
    } finally {
      await closeDatabases(dbs);
      dir.remove();
    }
  });
});
