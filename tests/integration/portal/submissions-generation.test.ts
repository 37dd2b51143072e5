import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../../hub/log/index.js';
import { watchSubmissions, type SubmissionsWatch } from '../../../hub/portal/submissions-generation.js';
import { closeDatabases, openDatabases, type Databases } from '../../../hub/storage/index.js';
import { tempDir } from '../../support/index.js';

describe('the submissions generations the page cache follows, per kind', () => {
  const dir = tempDir();
  let dbs: Databases;
  let watch: SubmissionsWatch;
  before(async () => {
    dbs = await openDatabases(dir.path, createLogger('silent'));
    watch = watchSubmissions(dbs.submissions);
    await watch.settled();
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  const put = (id: string) => dbs.submissions.put({ _id: id, type: 'x' });

  it('moves only the kinds written', async () => {
    const feedback = watch.generation(['feedback'])!;
    const response = watch.generation(['response'])!;
    const both = watch.generation(['feedback', 'response'])!;
    assert.notEqual(feedback, undefined, 'known once read');
    await put('hub-1:registration:aaa');
    await put('hub-1:usage:2026-12-03');
    await watch.settled();
    assert.equal(watch.generation(['feedback']), feedback, 'a registration and a usage count show on no such page');
    assert.equal(watch.generation(['response']), response);
    await put('hub-1:feedback:bbb');
    await watch.settled();
    assert.notEqual(watch.generation(['feedback']), feedback);
    assert.equal(watch.generation(['response']), response);
    assert.notEqual(watch.generation(['feedback', 'response']), both);
  });

  it('counts an id of no kind for every kind', async () => {
    const feedback = watch.generation(['feedback']);
    const response = watch.generation(['response']);
    await put('sans-genre');
    await watch.settled();
    assert.notEqual(watch.generation(['feedback']), feedback);
    assert.notEqual(watch.generation(['response']), response);
  });

  it('reads many writes at once, whatever their number', async () => {
    const feedback = watch.generation(['feedback']);
    const response = watch.generation(['response']);
    await dbs.submissions.bulkDocs(Array.from({ length: 1200 }, (_, i) => ({ _id: `hub-1:registration:bulk${i}`, type: 'x' })));
    await put('hub-1:response:ccc');
    await watch.settled();
    assert.equal(watch.generation(['feedback']), feedback, '1 201 writes, none of them feedback');
    assert.notEqual(watch.generation(['response']), response);
  });
});
