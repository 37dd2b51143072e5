import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { anySubmissionOf, asSubmission, assessmentOf, catalogDocOf, contentsOf, heartbeatOf, submissionsOf } from '../../../../content/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { bulkPut, bulkWritten, closeDatabases, docsOf, getDoc, maybeDoc, openDatabases, rowsOf, type Databases } from '../../../../hub/storage/index.js';
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

  it('keeps the docs of one type among many, and narrows the foreign docs by type and id', () => {
    const docs = [
      { _id: 'kayes-01:post:aaaaaaaa', type: 'post', ...stamp },
      { _id: 'kayes-01:post:bbbbbbbb', type: 'question', ...stamp },
      { _id: 'plan:kayes-2027', type: 'plan' },
      { _id: 'plan:autre', type: 'event' },
      null,
      'texte',
    ];
    assert.deepEqual(
      submissionsOf(docs, 'post').map((d) => d._id),
      ['kayes-01:post:aaaaaaaa']
    );
    assert.deepEqual(
      contentsOf(docs, 'plan').map((d) => d._id),
      ['plan:kayes-2027']
    );
    assert.ok(assessmentOf({ _id: 'assessment:kayes-01.application.abc123.awa', type: 'assessment' }));
    assert.equal(assessmentOf({ _id: 'kayes-01:application:abc123', type: 'assessment' }), null);
    assert.ok(heartbeatOf({ _id: 'kayes-01', hubId: 'kayes-01', type: 'heartbeat' }));
    assert.equal(heartbeatOf({ _id: 'kayes-01', hubId: 'segou-01', type: 'heartbeat' }), null);
  });

  it('answers a bulk write as its revisions, or its first refusal', async () => {
    const ok = bulkWritten(await bulkPut(dbs.submissions, [{ _id: 'bulk-a' }, { _id: 'bulk-b' }]));
    assert.ok('revs' in ok && ok.revs.length === 2 && ok.revs.every((r) => r.startsWith('1-')));
    const refused = bulkWritten(await bulkPut(dbs.submissions, [{ _id: 'bulk-c' }, { _id: 'bulk-a' }]));
    assert.ok('failed' in refused);
    assert.equal(refused.failed.status, 409);
  });
});
