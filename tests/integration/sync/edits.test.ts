import { hubCentralDb } from '../../../content/index.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { startSyncHub, type SyncHub } from '../../support/sync-fixtures.js';

/**
 * A member's erasure and a message's new status are new revisions of docs central already
 * has; they must reach central through its validation like CouchDB 3's, not be dropped.
 */
describe('edits and deletions reach central through its validation', () => {
  let central: TestCentral;
  let hub: SyncHub;
  before(async () => {
    central = await startTestCentral();
    const enrolled = await central.enroll('edits-01');
    hub = await startSyncHub({ hubId: 'edits-01', centralUrl: central.url, username: enrolled.username, password: enrolled.password });
  });
  after(async () => {
    await hub?.close();
    await central?.stop();
  });

  it('pushes a changed feedback status and an erased registration', async () => {
    const now = new Date().toISOString();
    const reg = {
      _id: 'edits-01:registration:0mwsaaaa0000aa11bb22cc',
      type: 'registration',
      hubId: 'edits-01',
      createdAt: now,
      fullName: 'Mariam Keita',
      sex: 'F',
      ageBand: '25-35',
      commune: 'kayes',
      consent: true,
      consentVersion: '2026-1',
    };
    const msg = {
      _id: 'edits-01:feedback:0mwsaaaa0001aa11bb22cc',
      type: 'feedback',
      hubId: 'edits-01',
      createdAt: now,
      official: 'official:x',
      message: 'Le forage est en panne.',
      status: 'new',
    };
    await hub.dbs.submissions.bulkDocs([reg, msg] as never[]);
    await hub.engine.runNow();
    const auth = 'Basic ' + Buffer.from(`${central.admin.username}:${central.admin.password}`).toString('base64');
    const get = async (id: string) =>
      (await fetch(`${central.url}/${hubCentralDb('edits-01')}/${encodeURIComponent(id)}`, { headers: { authorization: auth } })).json() as Promise<
        Record<string, unknown>
      >;
    assert.equal((await get(msg._id)).status, 'new');

    const local = (await hub.dbs.submissions.get(msg._id)) as Record<string, unknown>;
    await hub.dbs.submissions.put({ ...local, status: 'answered', answer: 'Réparé mardi.', updatedAt: new Date().toISOString() } as never);
    const localReg = await hub.dbs.submissions.get(reg._id);
    await hub.dbs.submissions.remove(localReg);
    await hub.engine.runNow();

    const after = await get(msg._id);
    assert.equal(after.status, 'answered', 'the new revision landed at central');
    assert.equal(after.answer, 'Réparé mardi.');
    const erased = await get(reg._id);
    assert.equal(erased.error, 'not_found', 'the erasure reached central');
  });
});
