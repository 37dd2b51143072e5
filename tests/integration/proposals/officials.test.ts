import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publishedProposalId, type Plan, type PublishedProposal } from '../../../content/index.js';
import { couch, createCommunityUser, putUser } from '../../../provisioning/central/index.js';
import { callAs, moderationLog, processProposals, type CentralCall } from '../../../provisioning/central/community/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { parse } from 'csv-parse/sync';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../support/console.js';
import { makeMember, signInMember, startTestHub, syncHub, type TestHub } from '../../support/index.js';
import { hubConsole, postMultipart, roundTrip as roundTripVia } from './hubs.js';
import { espaceBin } from '../../support/espace-bin.js';

const communes = ['nioro', 'kayes'].map((c) => ({
  _id: `commune:${c}`,
  type: 'commune',
  audience: { all: true },
  name: `Commune de ${c}`,
  kind: 'commune-urbaine',
  region: 'kayes',
  proposalThreshold: 3,
}));
const plan = (commune: string) => ({
  _id: `plan:pap-${commune}-2027`,
  type: 'plan',
  audience: { all: true },
  title: { fr: `Plan d’actions prioritaires genre et jeunesse de ${commune}` },
  scope: 'commune',
  communes: [commune],
  period: { start: '2027-01-01', end: '2028-12-31' },
  priorities: [
    {
      id: 'eau',
      title: { fr: 'Eau potable' },
      actions: [
        {
          id: 'forages',
          title: { fr: `Réhabiliter quatre forages à ${commune}` },
          responsible: 'Commission eau du conseil',
          budget: 8000000,
          period: { start: '2027-01-01', end: '2027-12-31' },
          indicator: { label: { fr: 'Personnes servies' }, total: 4000, bySex: { F: 2200, M: 1800 } },
        },
      ],
    },
  ],
});
const NIORO_PLAN = 'plan:pap-nioro-2027';
const KAYES_PLAN = 'plan:pap-kayes-2027';
const MAIRESSE = { username: 'mairesse.nioro', password: 'official-password-1' };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);

const html = (hub: TestHub, path: string) => fetch(hub.url + path, { headers: { accept: 'text/html' }, redirect: 'manual' }).then((r) => r.text());

describe('elected officials answer proposals and update plans, at central and at a hub', () => {
  let central: TestCentral;
  let cons: TestConsole;
  let a: TestHub;
  let b: TestHub;
  let moderator: CentralCall;
  let nioroProposal: string;
  let kayesProposal: string;

  const doc = async <T>(id: string) => (await couch<T & { _rev: string }>(central.url, `content/${encodeURIComponent(id)}`, central.admin)).body;
  const roundTrip = (...hubs: TestHub[]) => roundTripVia(central, moderator, [a, b], ...hubs);

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    await putUser(central.url, central.admin, MAIRESSE.username, MAIRESSE.password, ['official', 'commune:nioro']);
    const pub = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, {
      method: 'POST',
      body: { docs: [...communes, plan('nioro'), plan('kayes')] },
    });
    assert.ok(
      pub.body.every((r) => !r.error),
      JSON.stringify(pub.body)
    );
    const ea = await central.enroll('nioro-01');
    const eb = await central.enroll('kayes-02');
    a = await startTestHub({ hubId: 'nioro-01', commune: 'nioro', central: { url: central.url, username: ea.username, password: ea.password } });
    b = await startTestHub({ hubId: 'kayes-02', commune: 'kayes', central: { url: central.url, username: eb.username, password: eb.password } });
    await Promise.all([syncHub(a), syncHub(b)]);
    const awa = await signInMember(a, (await makeMember(a, 'Awa')).code);
    const binta = await signInMember(b, (await makeMember(b, 'Binta')).code);
    const made = async (m: typeof awa, commune: string, title: string) => {
      const res = await m.multipart('/propositions/nouvelle', {
        title,
        text: 'Pour les femmes du marché.',
        commune,
        theme: 'eau-assainissement',
        beneficiaries: 'femmes',
        cost: '100000',
        lang: 'fr',
      });
      assert.equal(res.status, 303);
      return decodeURIComponent(/\/propositions\/([^?#]+)/.exec(res.headers.get('location')!)![1]!);
    };
    nioroProposal = await made(awa, 'nioro', 'Une borne-fontaine au marché de Nioro');
    kayesProposal = await made(binta, 'kayes', 'Un forage au quartier Plateau');
    await roundTrip(a, b);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await cons?.stop();
    await central?.stop();
  });

  it('an administrator adds an official with their communes on the Comptes page', async () => {
    const admin = await consoleLogin(cons.origin, central.admin);
    const bad = await admin.post('/console/comptes/personnes', {
      username: 'maire.kita',
      role: 'official',
      communes: 'Kita!',
      password: 'official-password-9',
    });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /n’est pas un identifiant de commune/);
    assert.equal((await couch(central.url, `_users/${encodeURIComponent('org.couchdb.user:maire.kita')}`, central.admin)).status, 404, 'nothing stored');
    assert.equal(
      (await admin.post('/console/comptes/personnes', { username: 'maire.kita', role: 'official', communes: 'kita, kayes', password: 'official-password-9' }))
        .status,
      303
    );
    const user = await couch<{ roles: string[] }>(central.url, `_users/${encodeURIComponent('org.couchdb.user:maire.kita')}`, central.admin);
    assert.deepEqual(user.body.roles, ['official', 'commune:kita', 'commune:kayes']);
    const maire = await consoleLogin(cons.origin, { username: 'maire.kita', password: 'official-password-9' });
    const list = await (await maire.get('/console/propositions')).text();
    assert.match(list, /quartier Plateau/, 'Kayes is one of his communes');
    assert.doesNotMatch(list, /marché de Nioro/);
  });

  it('the command line adds an official with their communes, and refuses a commune that is not a slug', async () => {
    // Not spawnSync: the stand-in central answers from this very process.
    const cli = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [espaceBin(), 'central', 'official', ...args, '--url', central.url], {
          env: { ...process.env, ESPACE_CENTRAL_ADMIN_USER: central.admin.username, ESPACE_CENTRAL_ADMIN_PASSWORD: central.admin.password },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
        child.stdin.end('official-password-7\n');
      });
    const bad = await cli(['add', 'maire.diema', '--commune', 'Diéma']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /"Diéma" is not a commune's slug/);
    const ok = await cli(['add', 'maire.diema', '--commune', 'diema', 'kita']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /official maire\.diema can sign in .* for diema, kita/);
    const user = await couch<{ roles: string[] }>(central.url, `_users/${encodeURIComponent('org.couchdb.user:maire.diema')}`, central.admin);
    assert.deepEqual(user.body.roles, ['official', 'commune:diema', 'commune:kita']);
  });

  it('an official at central answers a proposal of their commune, audited; the answer reaches both hubs and later runs keep it', async () => {
    const mairesse = await consoleLogin(cons.origin, MAIRESSE);
    const list = await (await mairesse.get('/console/propositions')).text();
    assert.match(list, /Une borne-fontaine au marché de Nioro/);
    assert.doesNotMatch(list, /quartier Plateau/, 'only her communes');
    assert.match(list, /pap-nioro-2027/);
    assert.doesNotMatch(list, /pap-kayes-2027/);
    const path = `/console/propositions/${encodeURIComponent(publishedProposalId(nioroProposal))}/reponse`;
    const noDecision = await mairesse.post(path, { reason: 'Le budget 2027 le prévoit' });
    assert.equal(noDecision.status, 422);
    const page = await noDecision.text();
    assert.match(page, /Choisissez une réponse/);
    assert.match(page, /Le budget 2027 le prévoit/, 'what was typed is kept');
    assert.equal((await doc<PublishedProposal>(publishedProposalId(nioroProposal))).answer, undefined, 'nothing stored');
    assert.equal((await mairesse.post(path, { decision: 'deja-prevue', reason: 'Le budget 2027 la prévoit déjà.' })).status, 303);
    const published = await doc<PublishedProposal>(publishedProposalId(nioroProposal));
    assert.equal(published.status, 'deja-prevue');
    assert.deepEqual({ by: published.answer?.by, hub: published.answer?.hub }, { by: MAIRESSE.username, hub: 'central' });
    const audit = readFileSync(join(cons.services.config.dataDir, 'audit', 'audit.jsonl'), 'utf8');
    assert.match(audit, /"proposal\.answer"/);
    assert.match(audit, /mairesse\.nioro/);
    // The rules run again (a support arrives): the answer stays.
    await processProposals(moderator);
    await Promise.all([syncHub(a), syncHub(b)]);
    assert.equal((await doc<PublishedProposal>(publishedProposalId(nioroProposal))).status, 'deja-prevue');
    for (const hub of [a, b]) {
      const shown = await html(hub, `/propositions/${encodeURIComponent(nioroProposal)}`);
      assert.match(shown, /data-status="deja-prevue"/, hub.deps.config.hubId);
      assert.match(shown, /Le budget 2027 la prévoit déjà/, hub.deps.config.hubId);
    }
  });

  it("central's rules refuse an official outside their communes or beyond answers and progress, whatever the console shows", async () => {
    const kayes = await doc<PublishedProposal & { _rev: string }>(publishedProposalId(kayesProposal));
    const answer = { decision: 'retenue', reason: 'Oui.', by: MAIRESSE.username, at: new Date().toISOString(), hub: 'central' };
    const other = await couch<{ reason?: string }>(central.url, `content/${encodeURIComponent(kayes._id)}`, MAIRESSE, {
      method: 'PUT',
      body: { ...kayes, status: 'retenue', answer },
    });
    assert.equal(other.status, 403);
    assert.match(other.body.reason ?? '', /commune: this official answers for nioro/);
    const mine = await doc<PublishedProposal & { _rev: string }>(publishedProposalId(nioroProposal));
    const counts = await couch<{ reason?: string }>(central.url, `content/${encodeURIComponent(mine._id)}`, MAIRESSE, {
      method: 'PUT',
      body: { ...mine, supports: { ...mine.supports, members: 500 } },
    });
    assert.equal(counts.status, 403, 'an official does not change the supports');
    const kayesPlan = await doc<Plan & { _rev: string }>(KAYES_PLAN);
    const edited = structuredClone(kayesPlan);
    edited.priorities[0]!.actions[0]!.progress = [{ at: '2027-02-01', status: 'fait', done: 100 }];
    assert.equal((await couch(central.url, `content/${KAYES_PLAN}`, MAIRESSE, { method: 'PUT', body: edited })).status, 403);
    const nioroPlan = await doc<Plan & { _rev: string }>(NIORO_PLAN);
    const budget = structuredClone(nioroPlan);
    budget.priorities[0]!.actions[0]!.budget = 1;
    assert.equal((await couch(central.url, `content/${NIORO_PLAN}`, MAIRESSE, { method: 'PUT', body: budget })).status, 403, 'nor a budget');
    const byModerator = await couch<{ reason?: string }>(
      central.url,
      `content/${NIORO_PLAN}`,
      { username: 'moussa', password: 'moderator-password' },
      { method: 'PUT', body: budget }
    );
    assert.equal(byModerator.status, 403, 'the rules merge progress into plans, nothing else');
    assert.match(byModerator.body.reason ?? '', /only the progress of a plan's actions may change here/);
    const created = await couch(central.url, 'content/plan:pap-nouveau', MAIRESSE, { method: 'PUT', body: { ...plan('nioro'), _id: 'plan:pap-nouveau' } });
    assert.equal(created.status, 403, 'nor a new plan');
    // Bad input at central, whoever writes it: a plan that ends before it starts, a negative budget; nothing stored.
    const backwards = { ...plan('kita'), _id: 'plan:pap-kita-2027', period: { start: '2028-01-01', end: '2027-01-01' } };
    const refusedPeriod = await couch<{ reason?: string }>(central.url, 'content/plan:pap-kita-2027', central.editor, { method: 'PUT', body: backwards });
    assert.equal(refusedPeriod.status, 403);
    assert.match(refusedPeriod.body.reason ?? '', /period\.end: the period ends before it starts/);
    const negative = structuredClone(plan('kita')) as ReturnType<typeof plan> & { _id: string };
    negative._id = 'plan:pap-kita-2027';
    (negative.priorities[0]!.actions[0] as { budget: number }).budget = -1;
    const refusedBudget = await couch<{ reason?: string }>(central.url, 'content/plan:pap-kita-2027', central.editor, { method: 'PUT', body: negative });
    assert.equal(refusedBudget.status, 403);
    assert.match(refusedBudget.body.reason ?? '', /budget: a budget cannot be negative/);
    assert.equal((await couch(central.url, 'content/plan:pap-kita-2027', central.admin)).status, 404, 'nothing stored');
    // The console does not show another commune's proposal either.
    const mairesse = await consoleLogin(cons.origin, MAIRESSE);
    assert.equal((await mairesse.post(`/console/propositions/${encodeURIComponent(kayes._id)}/reponse`, { decision: 'retenue', reason: 'Oui.' })).status, 404);
    assert.equal((await doc<PublishedProposal>(kayes._id)).answer, undefined);
  });

  it('an official posts progress at central with a photo as evidence; bad input stores nothing; both hubs show it', async () => {
    const mairesse = await consoleLogin(cons.origin, MAIRESSE);
    const page = await (await mairesse.get('/console/plans/pap-nioro-2027')).text();
    assert.match(page, /Réhabiliter quatre forages à nioro/);
    const url = `${cons.origin}/console/plans/pap-nioro-2027/forages/avancement`;
    const post = (fields: Record<string, string>, file?: { bytes: Buffer; name: string; type: string }) => postMultipart(mairesse, url, fields, file);
    const before = await doc<Plan & { _rev: string }>(NIORO_PLAN);
    const tooMuch = await post({ at: '2027-03-31', status: 'en-cours', done: '150', spent: '-5', note: 'Deux forages refaits zebretape' });
    assert.equal(tooMuch.status, 422);
    const refused = await tooMuch.text();
    assert.match(refused, /La part réalisée est un nombre entre 0 et 100/);
    assert.match(refused, /jamais négatif/);
    assert.match(refused, /zebretape/, 'what was typed is kept');
    const html5 = await post(
      { at: '2027-03-31', status: 'en-cours', done: '40' },
      { bytes: Buffer.from('<html><script>x</script></html>'), name: 'preuve.png', type: 'image/png' }
    );
    assert.equal(html5.status, 422);
    assert.match(await html5.text(), /La preuve doit être une photo/);
    assert.equal((await doc<Plan & { _rev: string }>(NIORO_PLAN))._rev, before._rev, 'nothing stored');
    const ok = await post(
      {
        at: '2027-03-31',
        status: 'en-cours',
        done: '40',
        spent: '3 000 000',
        achievedTotal: '1200',
        achievedF: '700',
        achievedM: '500',
        'achievedAge15-24': '300',
        note: 'Deux forages sur quatre refaits.',
      },
      { bytes: PNG, name: 'forage.png', type: 'image/png' }
    );
    assert.equal(ok.status, 303, await ok.text());
    const after = await doc<Plan>(NIORO_PLAN);
    const last = after.priorities[0]!.actions[0]!.progress!.at(-1)!;
    assert.equal(last.done, 40);
    assert.equal(last.spent, 3000000);
    assert.deepEqual(last.achieved, { total: 1200, F: 700, M: 500, byAge: { '15-24': 300 } });
    assert.equal(last.by, MAIRESSE.username);
    assert.equal(last.evidence?.[0]?.kind, 'photo');
    const media = await couch(central.url, `media/media:${last.evidence[0].media}`, central.admin);
    assert.equal(media.status, 200);
    assert.match(readFileSync(join(cons.services.config.dataDir, 'audit', 'audit.jsonl'), 'utf8'), /"plan\.progress"/);
    await Promise.all([syncHub(a), syncHub(b)]);
    for (const hub of [a, b]) {
      const shown = await html(hub, '/plans/pap-nioro-2027');
      assert.match(shown, /40 % réalisé/, hub.deps.config.hubId);
      assert.match(shown, /Deux forages sur quatre refaits/, hub.deps.config.hubId);
    }
  });

  it('an official at hub B posts progress: shown there at once, merged at central once, then shown at hub A; bad input stores nothing', async () => {
    const maire = await hubConsole(b, 'maire-kayes', 'official-password-2', 'official', '/admin/plans');
    assert.match(await (await maire.get('/admin/plans')).text(), /pap-kayes-2027/);
    const path = '/admin/plans/pap-kayes-2027/forages/progress';
    const count = async () => (await b.deps.dbs.submissions.allDocs({ startkey: 'kayes-02:progress:', endkey: 'kayes-02:progress:\ufff0' })).rows.length;
    const bad = await postMultipart(maire, b.url + path, { at: '2027-04-30', status: 'en-cours', done: '-1', spent: 'beaucoup', note: 'Un forage refait' });
    assert.equal(bad.status, 422);
    const refused = await bad.text();
    assert.match(refused, /La part réalisée est un nombre entre 0 et 100/);
    assert.match(refused, /Un forage refait/);
    assert.equal(await count(), 0, 'nothing stored');
    const notAPhoto = await postMultipart(
      maire,
      b.url + path,
      { at: '2027-04-30', status: 'en-cours', done: '25' },
      { bytes: Buffer.from('<svg onload="x()"/>'), name: 'photo.jpg', type: 'image/jpeg' }
    );
    assert.equal(notAPhoto.status, 422);
    assert.match(await notAPhoto.text(), /La preuve doit être une photo/);
    assert.equal(await count(), 0, 'nothing stored');
    const ok = await postMultipart(
      maire,
      b.url + path,
      { at: '2027-04-30', status: 'en-cours', done: '25', achievedF: '300', note: 'Un forage sur quatre refait.' },
      { bytes: PNG, name: 'forage.png', type: 'image/png' }
    );
    assert.equal(ok.status, 303);
    assert.equal(await count(), 1);
    assert.match(
      readFileSync(join(b.deps.config.dataDir, 'audit', 'audit.jsonl'), 'utf8'),
      /"plan\.progress"[^\n]*maire-kayes|maire-kayes[^\n]*"plan\.progress"/
    );
    assert.match(await html(b, '/plans/pap-kayes-2027'), /25 % réalisé/, 'shown at once where it was posted');
    await roundTrip(b);
    await processProposals(moderator); // a second run merges nothing more
    const merged = (await doc<Plan>(KAYES_PLAN)).priorities[0]!.actions[0]!.progress!;
    assert.equal(merged.length, 1);
    assert.equal(merged[0]!.by, 'maire-kayes');
    assert.equal(merged[0]!.done, 25);
    assert.equal(merged[0]!.evidence?.[0]?.kind, 'photo', 'the photo taken at the space is filed as media at central');
    assert.equal((await couch(central.url, `media/media:${merged[0]!.evidence[0].media}`, central.admin)).status, 200);
    const log = await moderationLog(moderator);
    assert.equal(log.filter((x) => x.action === 'plan-progress' && x.target === `${KAYES_PLAN}#forages`).length, 1);
    for (const hub of [a, b]) {
      const shown = await html(hub, '/plans/pap-kayes-2027');
      assert.match(shown, /25 % réalisé/, hub.deps.config.hubId);
      assert.equal((shown.match(/Un forage sur quatre refait/g) ?? []).length >= 1, true);
    }
    // Not counted twice at B once central's copy carries it.
    assert.equal(((await b.deps.proposals.plan(KAYES_PLAN)).priorities[0]!.actions[0]!.progress ?? []).length, 1);
  });

  it('the figures count proposals, supports, answers and plan actions, at a hub and at central, with CSV for French Excel', async () => {
    const cells = (text: string) => parse<Record<string, string>>(text, { bom: true, columns: true, delimiter: ';' });
    const value = (rows: Record<string, string>[], scope: string, mesure: string, categorie: string) =>
      rows.find((r) => r['périmètre'] === scope && r.mesure === mesure && r['catégorie'] === categorie)?.valeur;
    // A support and a paper sheet at hub A, pushed.
    const chaka = await signInMember(a, (await makeMember(a, 'Chaka', '1357', 'M', '25-35')).code, '1357');
    assert.equal((await chaka.form(`/propositions/${encodeURIComponent(nioroProposal)}/soutenir`, {})).status, 409, 'answered: closed');
    const facilitator = await hubConsole(a, 'awa-anim', 'facil-password-1', 'facilitator', '/admin/indicators');
    assert.equal((await facilitator.post(`/admin/proposals/${encodeURIComponent(kayesProposal)}/paper`, { sheet: 'feuille-1', count: '5' })).status, 303);
    assert.equal((await chaka.form(`/propositions/${encodeURIComponent(kayesProposal)}/soutenir`, {})).status, 303);
    const page = await (await facilitator.get('/admin/indicators')).text();
    assert.match(page, /Propositions faites \(par qui les propose\)/);
    assert.match(page, /soutiens sur papier : 5/);
    assert.match(page, /1 déjà prévues/);
    const report = await (await facilitator.get(`/admin/report?month=${new Date().toISOString().slice(0, 7)}`)).text();
    assert.match(report, /Propositions citoyennes et plans/);
    const csv = await facilitator.get('/admin/indicators/propositions.csv');
    assert.equal(csv.status, 200);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8'); // keeps the BOM that text() drops
    assert.ok(text.startsWith('\ufeffmesure;catégorie;'), 'BOM, then ";" between cells');
    const rows = cells(text);
    assert.equal(value(rows, 'nioro-01', 'propositions faites', 'femmes'), '1');
    assert.equal(value(rows, 'nioro-01', 'soutiens en ligne', 'hommes'), '1');
    assert.equal(value(rows, 'nioro-01', 'soutiens sur papier', 'total'), '5');
    assert.equal(value(rows, 'nioro-01', 'propositions répondues', 'déjà prévues'), '1');
    assert.equal(value(rows, 'nioro-01', 'actions des plans', 'en cours'), '2', 'both plans have an action in progress');
    // At central, every hub's.
    await roundTrip(a);
    const analyst = await consoleLogin(cons.origin, ANALYST);
    assert.match(await (await analyst.get('/console/chiffres')).text(), /Propositions citoyennes et plans d’actions, tous les hubs/);
    const all = cells(await (await analyst.get('/console/chiffres/propositions.csv')).text());
    assert.equal(value(all, 'central', 'propositions faites', 'total'), '2');
    assert.equal(value(all, 'central', 'propositions par commune', 'kayes'), '1');
    assert.equal(value(all, 'central', 'propositions pour les femmes', 'total'), '2');
    assert.equal(value(all, 'central', 'soutiens en ligne par espace', 'nioro-01'), '1');
    assert.equal(value(all, 'central', 'soutiens sur papier par espace', 'nioro-01'), '5');
    assert.equal(value(all, 'central', 'propositions au seuil', 'total'), '1', 'the kayes one: 1 online + 5 on paper ≥ 3');
    assert.equal(value(all, 'central', 'propositions répondues', 'déjà prévues'), '1');
    assert.equal(value(all, 'kayes-02', 'propositions faites', 'total'), '1');
    const onlyKayes = cells(await (await analyst.get('/console/chiffres/propositions.csv?commune=kayes')).text());
    assert.equal(value(onlyKayes, 'central', 'propositions faites', 'total'), '1');
    assert.equal(value(onlyKayes, 'central', 'actions des plans', 'en cours'), '1');
    assert.equal(
      (await (await consoleLogin(cons.origin, MAIRESSE)).get('/console/chiffres/propositions.csv')).status,
      403,
      'an official does not read the merged submissions'
    );
  });
});
