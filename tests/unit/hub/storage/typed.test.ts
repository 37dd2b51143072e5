import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { anySubmissionOf, asSubmission, catalogDocOf } from '../../../../content/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, docsOf, getDoc, maybeDoc, openDatabases, rowsOf, type Databases } from '../../../../hub/storage/index.js';
import { tempDir } from '../../../support/hub.js';

const stamp = { hubId: 'kayes-01', createdAt: '2026-11-02T10:00:00.000Z' };

describe('typed reads of the databases', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  before(async () => {
    dir = tempDir('espace-typed-');
    dbs = await openDatabases(dir.path, silentLogger());
    await dbs.submissions.bulkDocs([
      { _id: 'kayes-01:proposal:aaaaaaaa', type: 'proposal', ...stamp, title: 'Un puits' },
      // A doc of another type in the proposals' range, and a doc whose id names another type.
      { _id: 'kayes-01:proposal:bbbbbbbb', type: 'support', ...stamp },
      { _id: 'kayes-01:support:cccccccc', type: 'proposal', ...stamp },
      { _id: 'kayes-01:registration:dddddddd', type: 'registration', ...stamp, fullName: 'Awa' },
    ]);
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('hands out only the docs of the type asked for, with their revision', async () => {
    const got = [];
    for await (const p of docsOf(dbs.submissions, 'kayes-01:proposal:', asSubmission('proposal'))) got.push(p);
    assert.deepEqual(
      got.map((p) => p._id),
      ['kayes-01:proposal:aaaaaaaa']
    );
    assert.match(got[0]!._rev, /^1-/);
    const res = await dbs.submissions.allDocs({ include_docs: true });
    assert.deepEqual(
      rowsOf(res.rows, asSubmission('registration')).map((r) => r.fullName),
      ['Awa']
    );
    assert.equal(anySubmissionOf(res.rows.find((r) => r.id === 'kayes-01:support:cccccccc')!.doc), null);
  });

  it('reads one doc as null or a 404 when it is missing or of another type', async () => {
    assert.equal((await maybeDoc(dbs.submissions, 'kayes-01:registration:dddddddd', asSubmission('registration')))?.fullName, 'Awa');
    assert.equal(await maybeDoc(dbs.submissions, 'kayes-01:registration:dddddddd', asSubmission('member')), null);
    assert.equal(await maybeDoc(dbs.submissions, 'kayes-01:registration:zzzzzzzz', asSubmission('registration')), null);
    await assert.rejects(getDoc(dbs.submissions, 'kayes-01:proposal:bbbbbbbb', asSubmission('proposal'), 'proposal-not-found'), {
      status: 404,
      reason: 'proposal-not-found',
    });
  });

  it('takes a certificate as catalog content, and no doc whose type leaves its id range', () => {
    const cert = { _id: 'certificate:kayes-01', type: 'certificate', hubId: 'kayes-01' };
    assert.equal(catalogDocOf(cert)?.type, 'certificate');
    assert.equal(catalogDocOf({ _id: 'official:x', type: 'organisation' }), null);
    assert.equal(catalogDocOf({ _id: '_design/x' }), null);
  });

  it('surfaces a read error that is not a not-found', async () => {
    const other = tempDir('espace-typed-closed-');
    const closed = await openDatabases(other.path, silentLogger());
    await closeDatabases(closed);
    try {
      await assert.rejects(maybeDoc(closed.submissions, 'kayes-01:registration:dddddddd', asSubmission('registration')));
    } finally {
      other.remove();
    }
  });
});
