import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../hub/log/index.js';
import { bulkDocsNew, closeDatabases, openDatabases, watchWrites, type Database, type Databases } from '../../../../hub/storage/index.js';
import { tempDir } from '../../../support/hub.js';

describe('writes of docs whose ids were just made, and who hears of writes', () => {
  const dir = tempDir('espace-writes-');
  let dbs: Databases;
  let db: Database;
  before(async () => {
    dbs = await openDatabases(dir.path, silentLogger());
    db = dbs.submissions;
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('writes new docs as any write does, and still looks up the others of the batch', async () => {
    await db.put({ _id: 'hub-1:interest:fixed', n: 0 });
    const results = await bulkDocsNew(
      db,
      [
        { _id: 'hub-1:registration:new1', n: 1 },
        { _id: 'hub-1:interest:fixed', n: 2 },
        { _id: 'hub-1:registration:new2', n: 3 },
      ],
      ['hub-1:registration:new1', 'hub-1:registration:new2']
    );
    assert.deepEqual(
      results.map((r) => ('error' in r && r.error ? r.status : true)),
      [true, 409, true],
      'the doc not said to be new was looked up: its conflict is found'
    );
    assert.equal((await db.get('hub-1:registration:new2')).n, 3);
    assert.equal((await db.get('hub-1:interest:fixed')).n, 0);
  });

  it('does not read LevelDB for the docs said to be new (here, wrongly: one is stored)', async () => {
    // The contract broken on purpose, to see that no look-up happens: the stored doc is not
    // found, so PouchDB takes the write for a new doc instead of answering 409.
    await db.put({ _id: 'hub-1:registration:known', n: 0 });
    const [said] = await bulkDocsNew(db, [{ _id: 'hub-1:registration:known', n: 1 }], ['hub-1:registration:known']);
    assert.ok(said && !('error' in said && said.error), 'written without a look-up');
    // Once its batch is issued, the id is LevelDB's again: the same write now conflicts.
    const [again] = await db.bulkDocs([{ _id: 'hub-1:registration:known', n: 2 }]);
    assert.equal(again && 'error' in again && again.error ? again.status : 'written', 409);
  });

  it('forgets the ids of a write refused before its batch', async () => {
    await db.put({ _id: 'hub-1:registration:kept', n: 0 });
    // A doc PouchDB refuses whole (a bad _rev): the batch is never issued.
    await assert.rejects(bulkDocsNew(db, [{ _id: 'hub-1:registration:kept', _rev: 'not-a-rev', n: 1 }], ['hub-1:registration:kept']));
    const [after] = await db.bulkDocs([{ _id: 'hub-1:registration:kept', n: 2 }]);
    assert.equal(after && 'error' in after && after.error ? after.status : 'written', 409, 'looked up again');
  });

  it('tells listeners the ids of each batch once written, not local docs, and stops', async () => {
    const heard: string[][] = [];
    const stop = watchWrites(db, (ids) => heard.push([...ids].sort()));
    await db.bulkDocs([{ _id: 'hub-1:feedback:a' }, { _id: 'hub-1:response:b' }]);
    await db.put({ _id: '_local/marker', v: 1 });
    const doc = await db.get('hub-1:feedback:a');
    await db.remove(doc);
    stop();
    await db.put({ _id: 'hub-1:feedback:c' });
    assert.deepEqual(heard, [['hub-1:feedback:a', 'hub-1:response:b'], ['hub-1:feedback:a']]);
  });
});
