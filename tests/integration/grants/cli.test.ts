import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assessmentId, type Call } from '../../../content/index.js';
import { couch } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { tempDir } from '../../support/index.js';
import { cliArgs } from '../content/espace-cli.js';

function espace(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...cliArgs, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end(stdin);
  });
}

const CALL = {
  _id: 'call:appel-cli',
  type: 'call',
  audience: { all: true },
  title: { fr: 'Appel de test' },
  text: { fr: 'Un appel fermé.' },
  budget: 500_000,
  maxPerGrant: 300_000,
  criteria: [{ id: 'impact', label: { fr: 'Impact' }, max: 10 }],
  eligible: ['femmes'],
  communes: ['kayes'],
  opens: '2026-01-01',
  deadline: '2026-01-31',
  documents: [],
};
const APP = {
  _id: 'kayes-01:application:0abc00000001',
  type: 'application',
  hubId: 'kayes-01',
  createdAt: '2026-01-10T10:00:00Z',
  call: CALL._id,
  organisation: 'Femmes unies de Kayes',
  kind: 'femmes',
  commune: 'kayes',
  contact: { name: 'Awa Sidibé', phone: '+223 70 00 00 00' },
  title: 'Un moulin',
  text: 'Un moulin pour le quartier.',
  lines: [{ label: 'Moulin', amount: 250_000 }],
  total: 250_000,
  documents: [],
  by: 'animatrice',
};

describe('espace central jury add and espace central grants …', () => {
  let central: TestCentral;
  const env = () => ({ ESPACE_CENTRAL_ADMIN_USER: central.admin.username, ESPACE_CENTRAL_ADMIN_PASSWORD: central.admin.password });

  before(async () => {
    central = await startTestCentral();
    assert.equal((await couch(central.url, `content/${CALL._id}`, central.editor, { method: 'PUT', body: CALL })).status, 201);
    // The replicator's copy, as an administrator writes it here (no hub in this test).
    assert.equal((await couch(central.url, `jury/${APP._id}`, central.admin, { method: 'PUT', body: APP })).status, 201);
  });
  after(async () => central?.stop());

  it('creates a juror who scores at central with their own account; an editor publishes the results and writes the CSV', async () => {
    const added = await espace(['central', 'jury', 'add', 'kadia.jury', '--url', central.url], env(), 'kadia-jury-password\n');
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, /jury kadia\.jury can sign in/);
    const juror = { username: 'kadia.jury', password: 'kadia-jury-password' };
    const id = assessmentId(APP._id, juror.username);
    const put = await couch(central.url, `jury/${encodeURIComponent(id)}`, juror, {
      method: 'PUT',
      body: {
        _id: id,
        type: 'assessment',
        call: CALL._id,
        application: APP._id,
        juror: juror.username,
        conflict: false,
        scores: { impact: 8 },
        at: new Date().toISOString(),
      },
    });
    assert.equal(put.status, 201);
    const asEditor = { ESPACE_CENTRAL_USERNAME: central.editor.username, ESPACE_CENTRAL_PASSWORD: central.editor.password };
    const listed = await espace(['central', 'grants', 'list', '--url', central.url], asEditor);
    assert.match(listed.out, /call:appel-cli .* 1 candidature\(s\)/);
    const results = await espace(['central', 'grants', 'results', 'appel-cli', '--url', central.url], asEditor);
    assert.equal(results.code, 0, results.err);
    assert.match(results.out, /1\. Femmes unies de Kayes \(kayes\) 80\/100, 1 juré\(s\) — financée 250[\s\u202f\u00a0]000 FCFA/);
    const c = (await couch<Call>(central.url, `content/${CALL._id}`, central.editor)).body;
    assert.equal(c.results?.by, central.editor.username);
    const dir = tempDir('espace-grants-csv-');
    try {
      const file = join(dir.path, 'candidatures.csv');
      const csv = await espace(['central', 'grants', 'csv', 'appel-cli', '--url', central.url, '--out', file], asEditor);
      assert.equal(csv.code, 0, csv.err);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.startsWith('\ufeffappel;rang;'), text.slice(0, 40));
      assert.doesNotMatch(text, /Awa Sidibé|70 00 00 00/, 'no contact in the CSV');
    } finally {
      dir.remove();
    }
    // A juror cannot publish results.
    const refused = await espace(['central', 'grants', 'results', 'appel-cli', '--url', central.url], {
      ESPACE_CENTRAL_USERNAME: juror.username,
      ESPACE_CENTRAL_PASSWORD: juror.password,
    });
    assert.notEqual(refused.code, 0);
  });
});
