import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { assessmentId, type Call } from '../../../content/index.js';
import { UserStore } from '../../../hub/auth/index.js';
import { couch, putUser } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { consoleLogin, startTestConsole, type TestConsole } from '../../support/console.js';
import { startTwoHubs, syncHub, type TestHub } from '../../support/index.js';
import { attemptLogin, client, cookieFrom, csrfIn, type Client } from '../admin/console.js';

const COMMUNES = [
  { _id: 'commune:nioro', type: 'commune', audience: { all: true }, name: 'Commune de Nioro du Sahel', kind: 'commune-urbaine', region: 'kayes' },
  { _id: 'commune:kayes', type: 'commune', audience: { all: true }, name: 'Commune de Kayes', kind: 'commune-urbaine', region: 'kayes' },
];
const CALL = {
  _id: 'call:appel-2027',
  type: 'call',
  audience: { all: true },
  title: { fr: 'Appel à initiatives locales des femmes et des jeunes 2027', bm: 'Musow ni kamalenw ka kɛwalew wele 2027' },
  text: { fr: 'Le programme finance de petites initiatives des organisations de femmes et de jeunes.' },
  budget: 1_000_000,
  maxPerGrant: 500_000,
  criteria: [
    { id: 'impact', label: { fr: 'Impact pour les femmes et les jeunes' }, max: 20, weight: 2 },
    { id: 'faisabilite', label: { fr: 'Faisabilité et budget' }, max: 10, weight: 1 },
  ],
  eligible: ['femmes', 'jeunes'],
  communes: ['nioro', 'kayes'],
  opens: '2026-01-01',
  deadline: '2099-12-31',
  documents: [{ kind: 'statuts', label: { fr: 'Statuts ou récépissé de l’organisation' }, types: ['application/pdf', 'image/jpeg'], required: true }],
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');
const JURORS = ['awa.jury', 'boubacar.jury', 'coumba.jury'].map((username) => ({ username, password: `${username}-password` }));
const EDITOR_CONSOLE = { username: 'fatou.editrice', password: 'editor-console-password' };

async function facilitator(hub: TestHub): Promise<Client> {
  await new UserStore(hub.dataDir).add('animatrice', 'facilitator', 'facilitator-password-1');
  const res = await attemptLogin(hub.url, 'animatrice', 'facilitator-password-1');
  assert.equal(res.status, 303);
  const c = client(hub.url, `espace_session=${cookieFrom(res, 'espace_session')!}`);
  c.csrf = csrfIn(await (await c.get('/admin/appels')).text());
  return c;
}

/** A multipart form as the browser sends it, with the session's token. */
function send(
  base: string,
  c: Client,
  path: string,
  fields: Record<string, string>,
  files: Record<string, { bytes: Buffer; name: string }> = {}
): Promise<Response> {
  const form = new FormData();
  form.set('_csrf', c.csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const [k, f] of Object.entries(files)) form.set(k, new Blob([new Uint8Array(f.bytes)]), f.name);
  return fetch(base + path, { method: 'POST', redirect: 'manual', headers: { cookie: c.cookie }, body: form });
}

const APPLICATION = {
  organisation: 'Association des femmes maraîchères de Nioro',
  kind: 'femmes',
  commune: 'nioro',
  contactName: 'Mariam Traoré',
  contactPhone: '+223 76 12 34 56',
  title: 'Un puits pour le jardin des femmes',
  text: 'Nous cultivons un hectare de légumes ; un puits nous ferait gagner deux heures par jour.',
  'line-label-0': 'Creusage du puits',
  'line-amount-0': '300 000',
  'line-label-1': 'Margelle et poulie',
  'line-amount-1': '100000',
};

describe('a call for local initiatives, from the application to the report, across two hubs and central', () => {
  let central: TestCentral;
  let cons: TestConsole;
  let a: TestHub;
  let b: TestHub;
  let fa: Client;
  let fb: Client;
  let first: string;
  let hubA: { username: string; password: string };

  const applicationsAt = async (hub: TestHub) =>
    (await hub.deps.dbs.submissions.allDocs({ startkey: `${hub.deps.config.hubId}:application:`, endkey: `${hub.deps.config.hubId}:application:\ufff0` })).rows
      .length;
  const callAtCentral = async () => (await couch<Call & { _rev: string }>(central.url, `content/${encodeURIComponent(CALL._id)}`, central.editor)).body;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    for (const j of JURORS.slice(0, 2)) await putUser(central.url, central.admin, j.username, j.password, ['jury']);
    // The third juror is made by the administrator in the console's Comptes page.
    const admin = await consoleLogin(cons.origin, central.admin);
    const made = await admin.post('/console/comptes/personnes', { username: JURORS[2]!.username, role: 'jury', password: JURORS[2]!.password });
    assert.equal(made.status, 303, await made.text());
    await putUser(central.url, central.admin, EDITOR_CONSOLE.username, EDITOR_CONSOLE.password, ['editor']);
    const pub = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, { method: 'POST', body: { docs: [...COMMUNES, CALL] } });
    assert.ok(
      pub.body.every((r) => !r.error),
      JSON.stringify(pub.body)
    );
    ({ a, b, hubA } = await startTwoHubs(central, { communes: true }));
    fa = await facilitator(a);
    fb = await facilitator(b);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await cons?.stop();
    await central?.stop();
  });

  it('central itself refuses a call whose deadline comes before its opening, or a grant over the budget', async () => {
    const bad = await couch<{ reason?: string }>(central.url, 'content/call:appel-mal-date', central.editor, {
      method: 'PUT',
      body: { ...CALL, _id: 'call:appel-mal-date', opens: '2027-03-01', deadline: '2027-02-01' },
    });
    assert.equal(bad.status, 403);
    assert.match(bad.body.reason ?? '', /deadline: the deadline must come after the opening date/);
    const over = await couch<{ reason?: string }>(central.url, 'content/call:appel-trop', central.editor, {
      method: 'PUT',
      body: { ...CALL, _id: 'call:appel-trop', maxPerGrant: 2_000_000 },
    });
    assert.equal(over.status, 403);
    assert.equal((await couch(central.url, 'content/call:appel-mal-date', central.editor)).status, 404, 'nothing stored');
  });

  it("an editor's call in the console: a deadline before the opening, a grant over the budget, a criterion of no points are refused in French beside the field, nothing stored", async () => {
    const editor = await consoleLogin(cons.origin, EDITOR_CONSOLE);
    const form = {
      slug: 'appel-console',
      title: 'Appel de la console',
      text: 'Un appel écrit dans la console.',
      budget: '1 000 000',
      maxPerGrant: '2 000 000',
      eligible: 'femmes',
      communes: 'kayes, nioro',
      opens: '2027-03-01',
      deadline: '2027-02-01',
      'crit-id-0': 'impact',
      'crit-label-0': 'Impact',
      'crit-max-0': '0',
      'doc-label-0': 'Statuts',
      'doc-types-0': 'application/pdf',
    };
    const refused = await editor.post('/console/jury/nouvel-appel', form);
    assert.equal(refused.status, 422);
    const page = await refused.text();
    assert.match(page, /id="deadline-error">La date limite doit venir après la date d’ouverture\./);
    assert.match(page, /id="maxPerGrant-error">Le montant maximum par initiative ne peut pas dépasser le budget total\./);
    assert.match(page, /id="crit-0-error">Un critère vaut de 1 à 1000 points/);
    assert.match(page, /value="Appel de la console"/, 'what was typed is kept');
    assert.match(page, /value="2027-02-01"/);
    assert.equal((await couch(central.url, 'content/call:appel-console', central.editor)).status, 404, 'nothing stored');
    const ok = await editor.post('/console/jury/nouvel-appel', { ...form, maxPerGrant: '300000', deadline: '2027-04-30', 'crit-max-0': '20' });
    assert.equal(ok.status, 303, await ok.text());
    const stored = (await couch<Call>(central.url, 'content/call:appel-console', central.editor)).body;
    assert.equal(stored.maxPerGrant, 300_000);
    assert.deepEqual(stored.documents[0]?.types, ['application/pdf']);
    // Not pulled further in this test: a second call would change the figures below.
    assert.equal(
      (await couch(central.url, `content/call:appel-console?rev=${(stored as Call & { _rev: string })._rev}`, central.editor, { method: 'DELETE' })).status,
      200
    );
  });

  it('bad input at the hub is refused in French beside the field, what was typed kept, nothing stored', async () => {
    const before = await applicationsAt(a);
    const negative = await send(
      a.url,
      fa,
      '/admin/appels/appel-2027/candidature',
      { ...APPLICATION, 'line-amount-1': '-5000' },
      { 'doc-0': { bytes: PDF, name: 'statuts.pdf' } }
    );
    assert.equal(negative.status, 422);
    const page = await negative.text();
    assert.match(page, /<p class="field-error" id="line-1-error">Un montant ne peut pas être négatif\.<\/p>/);
    assert.match(page, /value="Association des femmes maraîchères de Nioro"/, 'the organisation typed is kept');
    assert.match(page, /value="-5000"/, 'the amount typed is kept');
    assert.match(page, /Nous cultivons un hectare de légumes/);
    const wrongType = await send(a.url, fa, '/admin/appels/appel-2027/candidature', APPLICATION, { 'doc-0': { bytes: HTML, name: 'statuts.pdf' } });
    assert.equal(wrongType.status, 422);
    assert.match(await wrongType.text(), /id="doc-0-error">Ce type de fichier n’est pas accepté pour cette pièce/);
    // A PNG is a real image, but this call asks for a PDF or a JPEG.
    const png = await send(a.url, fa, '/admin/appels/appel-2027/candidature', APPLICATION, { 'doc-0': { bytes: PNG, name: 'statuts.jpg' } });
    assert.equal(png.status, 422);
    const over = await send(
      a.url,
      fa,
      '/admin/appels/appel-2027/candidature',
      { ...APPLICATION, 'line-amount-0': '450000' },
      { 'doc-0': { bytes: PDF, name: 's.pdf' } }
    );
    assert.match(await over.text(), /id="lines-error">Le total dépasse le montant maximum par initiative/);
    const missing = await send(a.url, fa, '/admin/appels/appel-2027/candidature', { ...APPLICATION, kind: 'cooperative' });
    const text = await missing.text();
    assert.match(text, /id="doc-0-error">Cette pièce est demandée par l’appel/);
    assert.match(text, /id="kind-error">Cet appel n’est pas ouvert à ce type d’organisation/);
    assert.equal(await applicationsAt(a), before, 'nothing stored');
  });

  it('applications with an attachment made at hubs A and B reach central’s jury database', async () => {
    const ok = await send(a.url, fa, '/admin/appels/appel-2027/candidature', APPLICATION, { 'doc-0': { bytes: PDF, name: 'statuts.pdf' } });
    assert.equal(ok.status, 303, await ok.text());
    first = decodeURIComponent(/\/admin\/appels\/candidatures\/([^/?#]+)/.exec(ok.headers.get('location') ?? '')![1]!);
    const youth = await send(
      a.url,
      fa,
      '/admin/appels/appel-2027/candidature',
      {
        ...APPLICATION,
        organisation: 'Jeunes pour le sport de Nioro',
        kind: 'jeunes',
        title: 'Un terrain de basket',
        'line-amount-0': '350000',
        'line-amount-1': '50000',
      },
      { 'doc-0': { bytes: PDF, name: 's.pdf' } }
    );
    assert.equal(youth.status, 303);
    const atB = await send(
      b.url,
      fb,
      '/admin/appels/appel-2027/candidature',
      {
        ...APPLICATION,
        organisation: 'Groupement des teinturières de Kayes',
        commune: 'kayes',
        title: 'Une teinturerie',
        'line-amount-0': '200000',
        'line-amount-1': '100000',
      },
      { 'doc-0': { bytes: PDF, name: 's.pdf' } }
    );
    assert.equal(atB.status, 303);
    await Promise.all([syncHub(a), syncHub(b)]);
    await central.settled();
    const juror = JURORS[0]!;
    const doc = await couch<{ organisation: string; contact: { phone: string }; _attachments: Record<string, { data: string; content_type: string }> }>(
      central.url,
      `jury/${encodeURIComponent(first)}?attachments=true`,
      juror
    );
    assert.equal(doc.status, 200);
    assert.equal(doc.body.organisation, APPLICATION.organisation);
    assert.equal(doc.body.contact.phone, '+223 76 12 34 56', 'jurors read the contact');
    assert.deepEqual(Buffer.from(doc.body._attachments['doc-0-statuts.pdf']!.data, 'base64'), PDF);
    assert.equal(doc.body._attachments['doc-0-statuts.pdf']!.content_type, 'application/pdf');
    // A hub cannot read the jury's database.
    const asHub = await fetch(`${central.url}/jury/${encodeURIComponent(first)}`, {
      headers: { authorization: 'Basic ' + Buffer.from(`${hubA.username}:${hubA.password}`).toString('base64') },
    });
    assert.ok(asHub.status === 401 || asHub.status === 403, `a hub reads the jury's database: ${asHub.status}`);
  });

  it('three jurors declare and score in the console; a juror with a declared conflict cannot score, not even straight at central', async () => {
    const j1 = await consoleLogin(cons.origin, JURORS[0]!);
    const j2 = await consoleLogin(cons.origin, JURORS[1]!);
    const j3 = await consoleLogin(cons.origin, JURORS[2]!);
    const list = await (await j1.get('/console/jury')).text();
    assert.match(list, /Appel à initiatives locales des femmes et des jeunes 2027/);
    const url = `/console/jury/candidature/${encodeURIComponent(first)}`;
    const page = await (await j1.get(url)).text();
    assert.match(page, /Un puits pour le jardin des femmes/);
    assert.match(page, /Mariam Traoré, \+223 76 12 34 56/);
    assert.match(page, /Conflit d’intérêts \(à déclarer avant de noter\)/);
    assert.doesNotMatch(page, /name="score-impact"/, 'no scores before the declaration');
    const pdf = await j1.get(`${url}/fichier/doc-0-statuts.pdf`);
    assert.equal(pdf.status, 200);
    assert.deepEqual(Buffer.from(await pdf.arrayBuffer()), PDF);
    // Scoring before declaring is refused.
    assert.equal((await j1.post(`${url}/noter`, { 'score-impact': '10', 'score-faisabilite': '5' })).status, 409);

    const recs = await couch<{ rows: { doc: { _id: string; type: string } }[] }>(central.url, 'jury/_all_docs?include_docs=true', central.admin);
    const apps = recs.body.rows.filter((r) => r.doc.type === 'application').map((r) => r.doc._id);
    assert.equal(apps.length, 3);
    const scores: Record<string, [string, string][]> = {
      // first (A, femmes): j1 20/10, j2 10/5, j3 conflict → 75
      [first]: [
        ['20', '10'],
        ['10', '5'],
      ],
    };
    for (const id of apps) {
      const u = `/console/jury/candidature/${encodeURIComponent(id)}`;
      for (const [i, j] of [j1, j2, j3].entries()) {
        const conflict = id === first && i === 2;
        assert.equal(
          (await j.post(`${u}/declarer`, { conflict: conflict ? 'oui' : 'non', note: conflict ? 'Ma sœur préside l’association' : '' })).status,
          303
        );
        if (conflict) continue;
        const [impact, faisabilite] = scores[id]?.[i] ?? (id.startsWith('kayes-02') ? ['16', '8'] : ['12', '6']);
        const res = await j.post(`${u}/noter`, { 'score-impact': impact, 'score-faisabilite': faisabilite, comment: 'Projet clair.' });
        assert.equal(res.status, 303, await res.text());
      }
    }
    // A score beyond the grid is refused beside the field, what was typed kept.
    const tooHigh = await j1.post(`${url}/noter`, { 'score-impact': '25', 'score-faisabilite': '4', comment: 'revu' });
    assert.equal(tooHigh.status, 422);
    const tooHighPage = await tooHigh.text();
    assert.match(tooHighPage, /id="e-impact">La note de « Impact pour les femmes et les jeunes » est de 20 points au plus\./);
    assert.match(tooHighPage, /value="25"/);

    // The conflicted juror: the console refuses, and so does central itself.
    const j3Page = await (await j3.get(url)).text();
    assert.match(j3Page, /Vous avez déclaré un conflit d’intérêts \(Ma sœur préside l’association\)/);
    assert.doesNotMatch(j3Page, /name="score-impact"/);
    assert.equal((await j3.post(`${url}/noter`, { 'score-impact': '20', 'score-faisabilite': '10' })).status, 403);
    assert.equal((await j3.post(`${url}/declarer`, { conflict: 'non' })).status, 403);
    const creds = JURORS[2]!;
    const id = assessmentId(first, creds.username);
    const mine = (await couch<Record<string, unknown> & { _rev: string }>(central.url, `jury/${encodeURIComponent(id)}`, creds)).body;
    assert.equal(mine.conflict, true);
    const withScores = await couch<{ reason?: string }>(central.url, `jury/${encodeURIComponent(id)}`, creds, {
      method: 'PUT',
      body: { ...mine, scores: { impact: 20, faisabilite: 10 } },
    });
    assert.equal(withScores.status, 403);
    assert.match(withScores.body.reason ?? '', /declared a conflict of interest does not score/);
    const withdrawn = await couch<{ reason?: string }>(central.url, `jury/${encodeURIComponent(id)}`, creds, {
      method: 'PUT',
      body: { ...mine, conflict: false, scores: { impact: 20, faisabilite: 10 } },
    });
    assert.equal(withdrawn.status, 403);
    assert.match(withdrawn.body.reason ?? '', /conflict of interest cannot be withdrawn/);
    // Nor may a juror write in another juror's name, or delete their declaration.
    const other = assessmentId(first, JURORS[0]!.username);
    const j1doc = (await couch<Record<string, unknown> & { _rev: string }>(central.url, `jury/${encodeURIComponent(other)}`, creds)).body;
    const forged = await couch<{ reason?: string }>(central.url, `jury/${encodeURIComponent(other)}`, creds, {
      method: 'PUT',
      body: { ...j1doc, scores: { impact: 0, faisabilite: 0 } },
    });
    assert.equal(forged.status, 403);
    assert.match(forged.body.reason ?? '', /writes only their own assessments/);
    const fresh = assessmentId(first, 'someone.else');
    const newForged = await couch(central.url, `jury/${encodeURIComponent(fresh)}`, creds, {
      method: 'PUT',
      body: { _id: fresh, type: 'assessment', call: CALL._id, application: first, juror: creds.username, conflict: false, at: new Date().toISOString() },
    });
    assert.equal(newForged.status, 403);
    assert.equal((await couch(central.url, `jury/${encodeURIComponent(id)}?rev=${mine._rev}`, creds, { method: 'DELETE' })).status, 403);
    assert.equal((await couch<{ conflict: boolean; scores?: unknown }>(central.url, `jury/${encodeURIComponent(id)}`, creds)).body.scores, undefined);
  });

  it('after the deadline no application is taken; an editor publishes the results, shown on hubs A and B', async () => {
    const editor = await consoleLogin(cons.origin, EDITOR_CONSOLE);
    const callUrl = `/console/jury/appel/${encodeURIComponent(CALL._id)}`;
    assert.match(await (await editor.get(callUrl)).text(), /Les résultats se publient après la date limite/);
    assert.equal((await editor.post(`${callUrl}/resultats`)).status, 409, 'not before the deadline');
    // The editor closes the call (deadline yesterday); the hubs pull it.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const cur = await callAtCentral();
    assert.equal(
      (await couch(central.url, `content/${encodeURIComponent(CALL._id)}`, central.editor, { method: 'PUT', body: { ...cur, deadline: yesterday } })).status,
      201
    );
    await Promise.all([syncHub(a), syncHub(b)]);
    const before = await applicationsAt(a);
    const late = await send(
      a.url,
      fa,
      '/admin/appels/appel-2027/candidature',
      { ...APPLICATION, organisation: 'En retard' },
      { 'doc-0': { bytes: PDF, name: 's.pdf' } }
    );
    assert.equal(late.status, 422);
    const latePage = await late.text();
    assert.match(latePage, /La date limite de cet appel est passée : il ne prend plus de candidature\./);
    assert.match(latePage, /value="En retard"/);
    assert.equal(await applicationsAt(a), before);

    const published = await editor.post(`${callUrl}/resultats`);
    assert.equal(published.status, 303);
    const c = await callAtCentral();
    assert.ok(c.results);
    // first: (100 + 50) / 2 = 75 (the conflicted juror does not count); B's: 80; A's youth: 60.
    assert.deepEqual(
      c.results.ranking.map((r) => [r.organisation, r.score, r.jurors, r.funded, r.amount]),
      [
        ['Groupement des teinturières de Kayes', 80, 3, true, 300_000],
        ['Association des femmes maraîchères de Nioro', 75, 2, true, 400_000],
        ['Jeunes pour le sport de Nioro', 60, 3, false, 0],
      ]
    );
    assert.equal(c.results.fundedTotal, 700_000);
    const decisions = await couch<{ rows: { doc: { type: string; action?: string; by?: string } }[] }>(
      central.url,
      'jury/_all_docs?include_docs=true',
      central.admin
    );
    assert.ok(
      decisions.body.rows.some((r) => r.doc.type === 'decision' && r.doc.action === 'results' && r.doc.by === EDITOR_CONSOLE.username),
      'the decision is logged at central'
    );
    const audit = readFileSync(join(cons.services.config.dataDir, 'audit', 'audit.jsonl'), 'utf8');
    assert.match(audit, /"action":"grants.results"/);
    assert.match(audit, /"action":"jury.score"/);
    assert.match(audit, /"action":"jury.declare".*conflit/);

    await Promise.all([syncHub(a), syncHub(b)]);
    for (const hub of [a, b]) {
      const html = await (await fetch(`${hub.url}/appels/appel-2027`, { headers: { accept: 'text/html' } })).text();
      assert.match(html, /Résultats publiés/);
      assert.match(html, /Groupement des teinturières de Kayes/);
      assert.match(html, /400[\s\u202f\u00a0]000 FCFA/);
      assert.doesNotMatch(html, /Mariam Traoré|76 12 34 56/, 'no contact on the public page');
    }
  });

  it("a funded initiative's report from hub A shows on both hubs; the CSV opens in French Excel; the figures count it all", async () => {
    const bad = await send(a.url, fa, `/admin/appels/candidatures/${encodeURIComponent(first)}/rapport`, {
      text: 'Le puits est creusé.',
      done: '60',
      'line-label-0': 'Creusage',
      'line-amount-0': '-1',
    });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /Un montant ne peut pas être négatif/);
    const ok = await send(
      a.url,
      fa,
      `/admin/appels/candidatures/${encodeURIComponent(first)}/rapport`,
      { text: 'Le puits est creusé ; la margelle est en cours.', done: '60', 'line-label-0': 'Creusage du puits', 'line-amount-0': '280000' },
      { evidence: { bytes: PNG, name: 'puits.png' } }
    );
    assert.equal(ok.status, 303, await ok.text());
    await syncHub(a);
    await central.settled();
    const editor = await consoleLogin(cons.origin, EDITOR_CONSOLE);
    assert.equal((await editor.post('/console/jury/rapports')).status, 303);
    const c = await callAtCentral();
    assert.equal(c.reports?.length, 1);
    assert.equal(c.reports[0]!.spent, 280_000);
    await Promise.all([syncHub(a), syncHub(b)]);
    for (const hub of [a, b]) {
      const html = await (await fetch(`${hub.url}/appels/appel-2027`, { headers: { accept: 'text/html' } })).text();
      assert.match(html, /Le puits est creusé ; la margelle est en cours\./);
      assert.match(html, /60 % réalisé/);
      assert.match(html, /280[\s\u202f\u00a0]000 FCFA dépensés sur 400[\s\u202f\u00a0]000 FCFA/);
      assert.match(html, new RegExp(`/media/${c.reports[0]!.evidence[0]!.media}`));
    }

    const csv = await editor.get(`/console/jury/appel/${encodeURIComponent(CALL._id)}/csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const text = bytes.toString('utf8');
    assert.match(text, /\r\n/);
    const rows = parse(text, { bom: true, delimiter: ';' });
    assert.equal(rows[0]![0], 'appel');
    assert.ok(rows[0]!.includes('score (sur 100)'));
    const byOrg = new Map(rows.slice(1).map((r) => [r[4], r]));
    const femmes = byOrg.get('Association des femmes maraîchères de Nioro')!;
    const header = rows[0]!;
    assert.equal(femmes[header.indexOf('conflits déclarés')], '1');
    assert.equal(femmes[header.indexOf('Faisabilité et budget (moyenne sur 10)')], '7,5', 'decimal comma');
    assert.equal(femmes[header.indexOf('financée')], 'oui');
    assert.equal(femmes[header.indexOf('montant accordé (FCFA)')], '400000');

    const analyst = await consoleLogin(cons.origin, { username: 'awa-analyste', password: 'analyst-test-password' });
    const figures = await (await analyst.get('/console/chiffres')).text();
    assert.match(figures, /Appels à initiatives locales \(tous les espaces\)/);
    assert.match(figures, /<th scope="row">Candidatures<\/th><td>3, 1[\s\u202f\u00a0]100[\s\u202f\u00a0]000 FCFA demandés/);
    assert.match(figures, /<th scope="row">Initiatives financées<\/th><td>2, 700[\s\u202f\u00a0]000 FCFA/);
    assert.match(figures, /<th scope="row">Dépenses rapportées<\/th><td>280[\s\u202f\u00a0]000 FCFA/);
    assert.match(figures, /organisation de femmes<\/th><td>2/);
    const hubFigures = await (await fa.get('/admin/indicators')).text();
    assert.match(hubFigures, /Appels à initiatives locales \(candidatures déposées ici\)/);
    assert.match(hubFigures, /<th scope="row">Candidatures<\/th><td>2,/);
    assert.match(hubFigures, /<th scope="row">nioro<\/th><td>2/);
  });
});
