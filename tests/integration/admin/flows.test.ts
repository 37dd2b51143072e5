import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { buildPack } from '../../../content/pack/index.js';
import { publishedAnswers } from '../../../hub/admin/index.js';
import { spokenRecording, tempDir, type TestHub } from '../../support/index.js';
import { fixtureKey, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { HUB_ID, login, refusal, startConsoleHub, type Client, submit } from './console.js';

const TRICKY = {
  fullName: 'Aïssata "Ada" Koné, dite; la présidente',
  organisation: 'Réseau des femmes, "REFLEK"; Kayes',
};

describe('console flows', () => {
  let hub: TestHub;
  let f: Client;
  let t: Client;
  let packDir: { path: string; remove(): void };
  let packFile: string;
  let member: string;

  before(async () => {
    packDir = tempDir('espace-admin-pack-');
    const key = fixtureKey();
    writeFixturePack(join(packDir.path, 'src'));
    packFile = join(packDir.path, 'fixture.espack');
    await buildPack(join(packDir.path, 'src'), key.signing, packFile);
    hub = await startConsoleHub({ trustedKeys: [key.trusted], admin: { uploadMaxMB: 0.2 } });
    f = await login(hub.url, 'facilitator');
    t = await login(hub.url, 'technician');
    member = await submit(hub, 'registration', { ...TRICKY, sex: 'F', ageBand: '25-35', commune: 'kayes', phone: '+223 76 12 34 56', consent: true });
  });
  after(async () => {
    await hub.stop();
    packDir.remove();
  });

  it('creates and edits an event made on this hub; central events stay read-only', async () => {
    const res = await f.post('/admin/events', {
      title: 'Formation : le budget',
      kind: 'formation',
      startsAt: '2026-12-05T09:00',
      endsAt: '2026-12-05T12:00',
      place: 'Salle de l’espace',
      commune: 'kayes',
      capacity: '25',
    });
    assert.equal(res.status, 303);
    const url = res.headers.get('location')!;
    assert.match(url, /^\/admin\/events\/kayes-demo-formation-le-budget-[0-9a-z]+$/);
    const id = `event:${decodeURIComponent(url.split('/').pop()!)}`;
    const doc = (await hub.deps.dbs.content.get(id)) as Record<string, any>;
    assert.equal(doc.startsAt, '2026-12-05T09:00:00Z');
    assert.deepEqual(doc.audience, { hubs: [HUB_ID] });
    const edited = await f.post(url, {
      title: 'Formation : le budget (2)',
      kind: 'formation',
      startsAt: '2026-12-05T10:00',
      place: 'Salle',
      commune: 'kayes',
      capacity: '30',
    });
    assert.equal(edited.status, 303);
    assert.equal(((await hub.deps.dbs.content.get(id)) as Record<string, any>).capacity, 30);
    const bad = await f.post(url, { title: '', kind: 'formation', startsAt: 'demain', place: 'Salle', commune: 'kayes', capacity: '30' });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /class="error"/);
    const central = await f.post('/admin/events/formation-budget', {
      title: 'x',
      kind: 'formation',
      startsAt: '2026-12-05T10:00',
      place: 'x',
      commune: 'kayes',
      capacity: '3',
    });
    assert.equal(central.status, 403);
    assert.equal((await refusal(central)).reason, 'event-read-only');
  });

  it('takes attendance by search and anonymously, once per member, with a printable sheet and a CSV', async () => {
    const page = await (await f.get('/admin/events/formation-budget?q=aissata')).text();
    assert.ok(page.includes('Aïssata &quot;Ada&quot; Koné'), 'found without the accent');
    assert.ok((await (await f.get('/admin/events/formation-budget?q=7612')).text()).includes('Koné'), 'found by phone digits');
    for (const form of [{ member }, { member }, { sex: 'M', ageBand: '15-24' }] as Record<string, string>[])
      assert.equal((await f.post('/admin/events/formation-budget/attendance', form)).status, 303);
    const sheet = await (await f.get('/admin/events/formation-budget/sheet')).text();
    assert.match(sheet, /2 présent·es/);
    assert.ok(sheet.includes('Participant·e non inscrit·e'));
    const csv = await f.get('/admin/events/formation-budget/attendance.csv');
    assert.match(csv.headers.get('content-disposition')!, /attachment; filename="presences-formation-budget.csv"/);
    const rows = parse<Record<string, string>>(await csv.text(), { bom: true, columns: true, delimiter: ';' });
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.nom, TRICKY.fullName);
    assert.equal(rows[1]!.sexe, 'homme');
    // A wrong attendance can be removed.
    const records = (await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: `${HUB_ID}:attendance:`, endkey: `${HUB_ID}:attendance:\ufff0` }))
      .rows;
    const anon = records.find((r) => !(r.doc as Record<string, unknown>).member)!;
    assert.equal((await f.post(`/admin/events/formation-budget/attendance/${encodeURIComponent(anon.id)}/remove`)).status, 303);
    assert.equal((await (await f.get('/admin/events/formation-budget/attendance.csv')).text()).includes('homme'), false);
  });

  it('exports members as CSV that round-trips accents, commas, quotes and line breaks', async () => {
    const res = await f.get('/admin/members.csv');
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const text = bytes.toString('utf8');
    assert.ok(text.includes('\r\n'));
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true, delimiter: ';' });
    const row = rows.find((r) => r.id === member)!;
    assert.equal(row.nom, TRICKY.fullName);
    assert.equal(row.organisation, TRICKY.organisation);
    assert.equal(row['téléphone'], '="+223 76 12 34 56"', 'kept as text: Excel would read +223… as a number');
  });

  it('edits a member as a new revision with updatedAt, refusing invalid values', async () => {
    const before = (await hub.deps.dbs.submissions.get(member)) as Record<string, any>;
    const form = { fullName: 'Aïssata Koné', sex: 'F', ageBand: '36-59', commune: 'kayes', phone: '+223 76 12 34 56', organisation: '' };
    assert.equal((await f.post(`/admin/members/${encodeURIComponent(member)}`, form)).status, 303);
    const after = (await hub.deps.dbs.submissions.get(member)) as Record<string, any>;
    assert.notEqual(after._rev, before._rev);
    assert.equal(after.ageBand, '36-59');
    assert.equal(after.organisation, undefined);
    assert.equal(after.consent, true);
    assert.ok(after.updatedAt);
    const bad = await f.post(`/admin/members/${encodeURIComponent(member)}`, { ...form, ageBand: '99' });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /ageBand must be one of/);
  });

  it('registers a member at the desk only with consent', async () => {
    const without = await f.post('/admin/members', { fullName: 'Oumar Sy', sex: 'M', ageBand: '15-24', commune: 'kayes' });
    assert.equal(without.status, 422);
    assert.match(await without.text(), /consent/);
    const ok = await f.post('/admin/members', { fullName: 'Oumar Sy', sex: 'M', ageBand: '15-24', commune: 'kayes', consent: 'yes' });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get('location')!, /^\/admin\/members\/kayes-demo%3Aregistration%3A/);
  });

  it('plays voice messages to staff only, answers, publishes only the answer, hides abuse', async () => {
    const voice = spokenRecording();
    const id = await submit(hub, 'feedback', {
      official: 'official:kayes-maire',
      message: 'Le forage de Lafiabougou est en panne',
      audio: { mime: 'audio/ogg', data: voice.toString('base64') },
      sex: 'F',
      ageBand: '15-24',
      contact: '76 00 00 00',
    });
    const abusive = await submit(hub, 'feedback', { official: 'official:kayes-maire', message: 'insulte' });
    const list = await (await f.get('/admin/messages')).text();
    assert.ok(list.includes('Le forage de Lafiabougou est en panne'));
    assert.ok(list.includes(`/admin/messages/${encodeURIComponent(id)}/voice`));
    const audio = await f.get(`/admin/messages/${encodeURIComponent(id)}/voice`);
    assert.equal(audio.status, 200);
    assert.equal(audio.headers.get('content-type'), 'audio/ogg');
    assert.deepEqual(Buffer.from(await audio.arrayBuffer()), voice);
    assert.equal((await fetch(`${hub.url}/admin/messages/${encodeURIComponent(id)}/voice`, { redirect: 'manual' })).status, 303, 'not without a session');

    assert.equal((await f.post(`/admin/messages/${encodeURIComponent(id)}`, { action: 'forward' })).status, 303);
    assert.equal(((await hub.deps.dbs.submissions.get(id)) as Record<string, unknown>).status, 'forwarded');
    assert.equal(
      (await f.post(`/admin/messages/${encodeURIComponent(id)}`, { action: 'answer', answer: 'La réparation est prévue lundi.', publish: 'yes' })).status,
      303
    );
    assert.equal((await f.post(`/admin/messages/${encodeURIComponent(abusive)}`, { action: 'hide' })).status, 303);
    const stored = (await hub.deps.dbs.submissions.get(id)) as Record<string, any>;
    assert.equal(stored.status, 'answered');
    assert.equal(stored.answerPublic, true);
    assert.ok(stored._attachments['voice.ogg'], 'the recording is kept');
    const wall = await publishedAnswers(hub.deps.dbs.submissions, HUB_ID);
    assert.deepEqual(
      wall.map((w) => Object.keys(w).sort()),
      [['answer', 'answeredAt', 'official']]
    );
    assert.equal(wall[0]!.answer, 'La réparation est prévue lundi.');
    assert.ok(!JSON.stringify(wall).includes('forage'), 'never the message itself');
    const hidden = await (await f.get('/admin/messages?status=hidden')).text();
    assert.ok(hidden.includes('insulte'));
    assert.equal((await f.post(`/admin/messages/${encodeURIComponent(id)}`, { action: 'nonsense' })).status, 422);
  });

  it('opens, shows live and closes a consultation made here; central ones cannot be closed here', async () => {
    const res = await f.post('/admin/consultations', { question: 'Quel jour pour le marché ?', options: 'Lundi\nJeudi\n', closesAt: '2030-01-31' });
    assert.equal(res.status, 303);
    const url = res.headers.get('location')!;
    const id = `consultation:${decodeURIComponent(url.split('/').pop()!)}`;
    const c = (await hub.deps.dbs.content.get(id)) as Record<string, any>;
    assert.deepEqual(
      c.options.map((o: { id: string }) => o.id),
      ['lundi-1', 'jeudi-2']
    );
    for (const [device, option, sex] of [
      ['device-aaa1', 'lundi-1', 'F'],
      ['device-aaa2', 'jeudi-2', 'M'],
      ['device-aaa3', 'lundi-1', undefined],
    ] as const) {
      await submit(hub, 'response', { consultation: id, option, deviceId: device, ...(sex ? { sex, ageBand: '15-24', commune: 'kayes' } : {}) });
    }
    const results = await (await f.get(url)).text();
    assert.match(results, /<meta http-equiv="refresh" content="30">/, 'live while open');
    assert.match(results, /3 vote\(s\)/);
    assert.match(results, /commune inconnue/);
    const csv = parse<Record<string, string>>(await (await f.get(`${url}/results.csv`)).text(), { bom: true, columns: true, delimiter: ';' });
    assert.deepEqual(
      csv.map((r) => [r['réponse'], r.votes, r['sexe F'], r['sexe unknown'], r['commune kayes'], r['commune unknown']]),
      [
        ['lundi-1', '2', '1', '1', '1', '1'],
        ['jeudi-2', '1', '0', '0', '1', '0'],
        ['total', '3', '1', '1', '2', '1'],
      ]
    );
    assert.equal((await f.post(`${url}/close`)).status, 303);
    const closed = await fetch(`${hub.url}/api/v1/submissions/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consultation: id, option: 'lundi-1', deviceId: 'device-aaa9' }),
    });
    assert.equal(closed.status, 409, 'votes refused once closed');
    assert.equal((await f.post(`${url}/open`, { closesAt: '2031-01-01' })).status, 303);
    const central = await f.post('/admin/consultations/priorites/close');
    assert.equal(central.status, 403);
    assert.equal((await refusal(central)).reason, 'consultation-read-only');
  });

  it('shows indicators with SVG charts, a CSV and a one-page monthly report', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const page = await (await f.get(`/admin/indicators?from=${month}-01`)).text();
    assert.match(page, /<svg class="chart"[^>]*role="img"[^>]*aria-labelledby=/);
    assert.match(page, /<title id="c\d+-t">Répartition par sexe<\/title>/);
    assert.match(page, /<pattern id="c\d+-F"/);
    const csv = parse<Record<string, string>>(await (await f.get(`/admin/indicators.csv?from=${month}-01`)).text(), {
      bom: true,
      columns: true,
      delimiter: ';',
    });
    const registered = csv.find((r) => r.indicateur === 'registered')!;
    assert.equal(registered.total, '2');
    assert.equal(registered.femmes, '1');
    assert.equal(csv.find((r) => r.indicateur === 'messages')!.total, '2');
    assert.equal(csv.find((r) => r.indicateur === 'messages')!['sexe inconnu'], '1');
    await submit(hub, 'registration', { fullName: 'Nouvelle Inscrite', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true });
    const again = parse<Record<string, string>>(await (await f.get(`/admin/indicators.csv?from=${month}-01`)).text(), {
      bom: true,
      columns: true,
      delimiter: ';',
    });
    assert.equal(again.find((r) => r.indicateur === 'registered')!.total, '3', 'a new registration shows at once');
    const report = await (await f.get(`/admin/report?month=${month}`)).text();
    assert.match(report, /Rapport mensuel/);
    assert.match(report, /Visa de l’animateur/);
    assert.equal((await f.get('/admin/indicators?from=2026-13-01')).status, 400);
    assert.equal((await f.get('/admin/report?month=nope')).status, 400);
  });

  it('lets a technician import an uploaded pack, within the size cap', async () => {
    const bytes = new Uint8Array(await readFile(packFile));
    const res = await t.upload('/admin/packs', { name: 'fixture.espack', bytes });
    assert.equal(res.status, 303, await res.clone().text());
    const page = await (await t.get('/admin/packs')).text();
    assert.match(page, /Paquet fixture 1\.0\.0 : \d+ document\(s\) écrit\(s\)/);
    assert.match(page, /<td>fixture<\/td><td>1\.0\.0<\/td>/);
    assert.ok(await hub.deps.catalog.maybe('course:budget'));
    const big = await t.upload('/admin/packs', { name: 'big.espack', bytes: new Uint8Array(300 * 1024) });
    assert.equal(big.status, 413);
    assert.equal((await refusal(big)).reason, 'upload-too-large');
    const junk = await t.upload('/admin/packs', { name: 'junk.espack', bytes: new Uint8Array(Buffer.from('not a pack')) });
    assert.ok(junk.status >= 400 && junk.status < 500, `junk refused (${junk.status})`);
    const noToken = new FormData();
    noToken.set('file', new Blob([bytes]), 'fixture.espack');
    assert.equal((await fetch(`${hub.url}/admin/packs`, { method: 'POST', headers: { cookie: t.cookie }, body: noToken })).status, 403);
    // Uploads are removed when each answer closes: wait for that (seconds on a loaded machine), not a fixed 100 ms.
    for (let i = 0; i < 50 && (await readdir(join(hub.dataDir, 'uploads'))).length > 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await readdir(join(hub.dataDir, 'uploads')), [], 'no upload is left on the card, whatever the outcome');
  });

  it('lets a technician create and remove accounts, and read the audit log', async () => {
    assert.equal((await t.post('/admin/accounts', { username: 'fatou', role: 'facilitator', password: 'fatou-password' })).status, 303);
    const fatou = await fetch(`${hub.url}/admin/login`).then(() => login(hub.url, 'facilitator'));
    assert.ok(fatou);
    const list = await (await t.get('/admin/accounts')).text();
    assert.ok(list.includes('fatou'));
    assert.equal((await t.post('/admin/accounts/fatou/remove')).status, 303);
    assert.ok(!(await (await t.get('/admin/accounts')).text()).includes('<td>fatou</td>'));
    assert.equal((await t.post('/admin/accounts/tech/remove')).status, 409, 'not yourself');
    const audit = await (await t.get('/admin/audit')).text();
    for (const action of [
      'member.export',
      'event.create',
      'attendance.add',
      'member.update',
      'message.update',
      'consultation.close',
      'pack.import',
      'account.create',
      'account.remove',
    ]) {
      assert.ok(audit.includes(`<td>${action}</td>`), `${action} in the audit log`);
    }
    assert.equal((await f.get('/admin/audit')).status, 403);
  });

  it("shows health (the doctor's checks) and sync state to technicians", async () => {
    const health = await (await t.get('/admin/health')).text();
    assert.match(health, /espace doctor/);
    assert.match(health, /Disk free|Hub/);
    const sync = await (await t.get('/admin/sync')).text();
    assert.match(sync, /Synchronisation/);
    const now = await t.post('/admin/sync/now');
    assert.equal(now.status, 409, 'no central configured in this test');
  });
});
