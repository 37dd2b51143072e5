import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONSENT_VERSION, isAppError, submissionSchemas } from '../../../../content/index.js';
import { Catalog } from '../../../../hub/catalog/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, putDoc, type Databases } from '../../../../hub/storage/index.js';
import { checkSubmission, SubmissionService, trySubmission } from '../../../../hub/submissions/index.js';
import { tempDir } from '../../../support/hub.js';

const REGISTRATION = { fullName: 'Awa Diarra', sex: 'F', ageBand: '25-35', commune: 'kayes', consent: true };

/** The AppError `fn` throws or rejects with. */
async function refusal(fn: () => unknown): Promise<{ status: number; reason: string }> {
  try {
    await fn();
  } catch (e) {
    assert.ok(isAppError(e), `an AppError, not ${String(e)}`);
    return { status: e.status, reason: e.reason };
  }
  assert.fail('expected a refusal');
}

describe('a submission is read once, by its input schema, and stored as read', () => {
  const dir = tempDir('espace-checked-');
  let dbs: Databases;
  let service: SubmissionService;
  before(async () => {
    dbs = await openDatabases(dir.path, silentLogger());
    service = new SubmissionService(dbs.submissions, new Catalog(dbs.content, silentLogger()), silentLogger());
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('refuses what the input schema refuses, naming it, before anything is stored', async () => {
    const before = (await dbs.submissions.info()).doc_count;
    assert.deepEqual(await refusal(() => checkSubmission('registration', { ...REGISTRATION, consent: false })), {
      status: 422,
      reason: 'invalid-submission',
    });
    assert.deepEqual(await refusal(() => checkSubmission('registration', { ...REGISTRATION, _id: 'kayes-demo:registration:mine' })), {
      status: 422,
      reason: 'invalid-submission',
    });
    assert.equal((await dbs.submissions.info()).doc_count, before);
  });

  it('says what is wrong without throwing, for forms that name their fields (trySubmission)', () => {
    const refused = trySubmission('registration', { ...REGISTRATION, fullName: 'A', sex: 'X' });
    assert.ok('issues' in refused);
    assert.deepEqual(refused.issues.map((i) => i.path[0]).sort(), ['fullName', 'sex']);
    const read = trySubmission('registration', REGISTRATION);
    assert.ok('submission' in read);
    assert.deepEqual(read.submission, checkSubmission('registration', REGISTRATION));
  });

  it("stores the schema's output with what the hub adds, a doc central's schema accepts", async () => {
    const now = new Date('2026-12-03T10:00:00.000Z');
    const { id } = await service.submit(checkSubmission('registration', REGISTRATION), { hubId: 'kayes-demo', now, channel: 'paper' });
    const stored = await dbs.submissions.get(id);
    assert.match(id, /^kayes-demo:registration:[0-9a-z]+$/);
    // The default the schema gave (consentVersion) is stored, as it was when the doc was parsed twice.
    assert.deepEqual(
      { ...stored, _rev: undefined },
      {
        ...REGISTRATION,
        consentVersion: CONSENT_VERSION,
        _id: id,
        _rev: undefined,
        hubId: 'kayes-demo',
        createdAt: now.toISOString(),
        type: 'registration',
        channel: 'paper',
      }
    );
    assert.ok(submissionSchemas.registration.safeParse(stored).success);
  });

  it('checks what the input schema did not read: the hub id and who recorded an attendance', async () => {
    assert.deepEqual(await refusal(() => service.submit(checkSubmission('registration', REGISTRATION), { hubId: 'Not A Hub' })), {
      status: 500,
      reason: 'invalid-hub-id',
    });
    await putDoc(dbs.content, { _id: 'event:formation', type: 'event' });
    const attendance = checkSubmission('attendance', { event: 'event:formation', sex: 'F', ageBand: '25-35' });
    assert.deepEqual(await refusal(() => service.submit(attendance, { hubId: 'kayes-demo', recordedBy: 'x'.repeat(81) })), {
      status: 422,
      reason: 'invalid-submission',
    });
  });

  it('takes only what checkSubmission made (checked when the tests are compiled)', () => {
    const raw = { type: 'registration' as const, fields: { ...REGISTRATION, consentVersion: CONSENT_VERSION } };
    // @ts-expect-error -- an object of the right shape is not a checked submission
    const refused: Parameters<SubmissionService['submit']>[0] = raw;
    assert.ok(refused);
  });
});
