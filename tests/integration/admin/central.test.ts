import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { pouchConstructor } from '../../../hub/storage/index.js';
import { runCli } from '../../support/cli.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import type { TestHub } from '../../support/index.js';
import { login, startConsoleHub, type Client, submit } from './console.js';

const PouchDB = pouchConstructor();

describe('erasure reaches central, and espace indicators reads central', () => {
  let central: TestCentral;
  let hub: TestHub;
  let facilitator: Client;
  let remote: PouchDB.Database;
  let aminata: string;
  let moussa: string;

  const push = async () => {
    const result = await hub.deps.dbs.submissions.replicate.to(remote);
    assert.equal(result.ok, true);
    assert.equal(result.doc_write_failures, 0, JSON.stringify(result.errors));
  };

  before(async () => {
    // Without central's design docs: the stand-in's validate_doc_update (express-pouchdb's
    // pouchdb-validation) silently drops replicated tombstones, which CouchDB 3 accepts.
    central = await startTestCentral({ setup: false });
    remote = new PouchDB(`${central.url}/submissions`, { auth: { ...central.admin } });
    await remote.info();
    hub = await startConsoleHub();
    facilitator = await login(hub.url, 'facilitator');
    aminata = await submit(hub, 'registration', {
      fullName: 'Aminata Sidibé',
      sex: 'F',
      ageBand: '15-24',
      commune: 'kayes',
      phone: '+223 76 00 00 01',
      consent: true,
    });
    moussa = await submit(hub, 'registration', { fullName: 'Moussa Diallo', sex: 'M', ageBand: '36-59', commune: 'kayes', consent: true });
    const forms: Record<string, string>[] = [{ member: aminata }, { member: moussa }, { sex: 'F', ageBand: '25-35' }];
    for (const form of forms) {
      const res = await facilitator.post('/admin/events/formation-budget/attendance', form);
      assert.equal(res.status, 303);
    }
    await submit(hub, 'feedback', { official: 'official:kayes-maire', message: 'Merci pour le forage', sex: 'F', ageBand: '25-35' });
  });
  after(async () => {
    await remote?.close();
    await hub?.stop();
    await central?.stop();
  });

  it('erases a member on the hub, anonymises her attendance, and the deletion replicates to central', async () => {
    await push();
    assert.equal(((await remote.get(aminata)) as Record<string, unknown>).fullName, 'Aminata Sidibé');

    const before = (await hub.deps.dbs.submissions.get(aminata))._rev;
    const refused = await facilitator.post(`/admin/members/${encodeURIComponent(aminata)}/erase`, {});
    assert.equal(refused.status, 422, 'erasure needs the confirmation box');
    const res = await facilitator.post(`/admin/members/${encodeURIComponent(aminata)}/erase`, { confirm: 'yes' });
    assert.equal(res.status, 303);

    await assert.rejects(hub.deps.dbs.submissions.get(aminata), (e: { status?: number }) => e.status === 404);
    const page = await (await facilitator.get('/admin/members?q=aminata')).text();
    assert.ok(!page.includes('Sidibé'), 'no longer listed');
    await assert.rejects(hub.deps.dbs.submissions.get(aminata, { rev: before }), 'the old revision with her name is compacted away');
    const local = await hub.deps.dbs.submissions.allDocs({ include_docs: true });
    assert.ok(
      local.rows.every((r) => (r.doc as Record<string, unknown>).member !== aminata),
      'no local attendance points at her'
    );
    assert.ok(!JSON.stringify(local.rows).includes('Sidibé'));

    await push();
    await assert.rejects(remote.get(aminata), (e: { status?: number }) => e.status === 404, 'deleted at central too');
    const remoteDocs = (await remote.allDocs({ include_docs: true })).rows.map((r) => r.doc as unknown as Record<string, unknown>);
    const attendance = remoteDocs.filter((d) => d.type === 'attendance');
    assert.equal(attendance.length, 3, 'attendance kept');
    assert.ok(
      attendance.every((a) => a.member !== aminata),
      'no attendance points at the erased member'
    );
    assert.ok(
      attendance.some((a) => a.sex === 'F' && a.ageBand === '15-24' && a.member === undefined),
      'her attendance stays as sex and age band only'
    );
    assert.ok(!JSON.stringify(remoteDocs).includes('Sidibé'));
  });

  it('espace indicators --central computes the figures across hubs, as CSV or a table', async () => {
    const env = { ESPACE_CENTRAL_USERNAME: central.admin.username, ESPACE_CENTRAL_PASSWORD: central.admin.password };
    const csv = await runCli(['fleet', 'indicators', '--central', central.url, '--csv'], { env });
    assert.equal(csv.code, 0, csv.stderr);
    assert.ok(csv.stdout.startsWith('\ufeff'));
    const rows = parse<Record<string, string>>(csv.stdout, { bom: true, columns: true, delimiter: ';' });
    const by = (k: string) => rows.find((r) => r.indicateur === k)!;
    assert.equal(by('registered').total, '1', 'the erased member is no longer counted as registered');
    assert.equal(by('registered').hommes, '1');
    // Aminata (anonymised, F 15-24), Moussa (member, M 36-59), one anonymous F 25-35.
    assert.equal(by('trained').total, '3');
    assert.equal(by('trained').femmes, '2');
    assert.equal(by('trained')['part des jeunes (15-35 ans)'], '67 %');
    assert.equal(by('messages').total, '1');

    const byHub = parse<Record<string, string>>((await runCli(['indicators', '--central', central.url, '--csv', '--by-hub'], { env })).stdout, {
      bom: true,
      columns: true,
      delimiter: ';',
    });
    assert.deepEqual([...new Set(byHub.map((r) => r['périmètre']))], ['central', 'kayes-demo']);
    assert.equal(byHub.find((r) => r['périmètre'] === 'kayes-demo' && r.indicateur === 'trained')!.total, '3');

    const table = await runCli(['indicators', '--central', central.url, '--month', '2001-01'], { env });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Personnes formées\s+0\s+0\s+0/);

    const noCreds = await runCli(['indicators', '--central', central.url]);
    assert.notEqual(noCreds.code, 0);
    assert.match(noCreds.stderr, /espace: set ESPACE_CENTRAL_USERNAME and ESPACE_CENTRAL_PASSWORD/);
  });
});
