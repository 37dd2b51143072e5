import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishedProposalId, type PublishedProposal } from '../../../content/index.js';
import { couch, createCommunityUser } from '../../../provisioning/central/index.js';
import { callAs, moderationLog, processProposals, type CentralCall } from '../../../provisioning/central/community/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { COMMUNITY, frenchVoice, makeMember, signInMember, startTwoHubs, syncHub, type MemberClient, type TestHub } from '../../support/index.js';
import { hubConsole, roundTrip as roundTripVia } from './hubs.js';

const COMMUNE = {
  _id: 'commune:nioro',
  type: 'commune',
  audience: { all: true },
  name: 'Commune de Nioro du Sahel',
  kind: 'commune-urbaine',
  region: 'kayes',
  proposalThreshold: 3,
};
const PLAN = {
  _id: 'plan:pap-nioro-2027',
  type: 'plan',
  audience: { all: true },
  title: { fr: 'Plan d’actions prioritaires genre et jeunesse de Nioro', bm: 'Nioro ka laɲini' },
  scope: 'intercommunal',
  communes: ['nioro', 'kayes'],
  period: { start: '2027-01-01', end: '2028-12-31' },
  priorities: [
    {
      id: 'eau',
      title: { fr: 'Eau potable' },
      actions: [
        {
          id: 'forages',
          title: { fr: 'Réhabiliter quatre forages au marché' },
          responsible: 'Commission eau du conseil',
          budget: 8000000,
          period: { start: '2027-01-01', end: '2027-12-31' },
          indicator: { label: { fr: 'Personnes servies' }, total: 4000, bySex: { F: 2200, M: 1800 }, byAge: { '15-24': 900 } },
          progress: [],
        },
      ],
    },
  ],
};

const html = (hub: TestHub, path: string) => fetch(hub.url + path, { headers: { accept: 'text/html' }, redirect: 'manual' });

const consoleAs = (hub: TestHub, username: string, password: string, role: 'official' | 'facilitator') =>
  hubConsole(hub, username, password, role, '/admin/proposals');

describe('citizen proposals across two hubs and central', () => {
  let central: TestCentral;
  let a: TestHub;
  let b: TestHub;
  let moderator: CentralCall;
  let awa: MemberClient;
  let chaka: MemberClient;
  let binta: MemberClient;
  let proposal: string;

  const publishedAt = async (id: string) =>
    (await couch<PublishedProposal>(central.url, `content/${encodeURIComponent(publishedProposalId(id))}`, central.editor)).body;

  const roundTrip = (...hubs: TestHub[]) => roundTripVia(central, moderator, [a, b], ...hubs);

  before(async () => {
    central = await startTestCentral();
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    const pub = await couch<{ error?: string }[]>(central.url, 'content/_bulk_docs', central.editor, { method: 'POST', body: { docs: [COMMUNE, PLAN] } });
    assert.ok(
      pub.body.every((r) => !r.error),
      JSON.stringify(pub.body)
    );
    ({ a, b } = await startTwoHubs(central, { communes: true, community: COMMUNITY }));
    awa = await signInMember(a, (await makeMember(a, 'Awa')).code);
    chaka = await signInMember(a, (await makeMember(a, 'Chaka', '1357', 'M', '25-35')).code, '1357');
    binta = await signInMember(b, (await makeMember(b, 'Binta')).code);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await central?.stop();
  });

  it("bad input is refused beside each field in the visitor's language, what was typed kept, nothing stored", async () => {
    const before = (await a.deps.dbs.submissions.allDocs({ startkey: 'nioro-01:proposal:', endkey: 'nioro-01:proposal:\ufff0' })).rows.length;
    const res = await awa.multipart(
      '/propositions/nouvelle',
      { title: '', text: 'Des lampadaires solaires au marché zebretape', commune: 'nioro', theme: 'infrastructures', cost: '-5000', lang: 'fr' },
      { bytes: Buffer.from('<html>not a sound</html>'), name: 'x.html', type: 'text/html' }
    );
    assert.equal(res.status, 422);
    const page = await res.text();
    assert.match(page, /id="err-title"[^]*Écrivez un titre/);
    assert.match(page, /id="err-cost"[^]*Le coût ne peut pas être négatif/);
    assert.match(page, /id="err-voice"[^]*n&#39;est pas un enregistrement de voix/);
    assert.match(page, /zebretape/, 'the text typed is kept');
    assert.match(page, /value="-5000"/);
    // In Bambara for a visitor reading Bambara.
    const bm = await signInMember(a, (await makeMember(a, 'Fanta')).code, '2468', 'bm');
    const inBm = await (
      await bm.multipart('/propositions/nouvelle', { title: 'ab', text: 'x', commune: 'nioro', theme: 'sante', cost: '-1', lang: 'bm' })
    ).text();
    assert.match(inBm, /Tɔgɔ ka surun/);
    assert.match(inBm, /Musaka tɛ se ka dɔgɔya/);
    const after = (await a.deps.dbs.submissions.allDocs({ startkey: 'nioro-01:proposal:', endkey: 'nioro-01:proposal:\ufff0' })).rows.length;
    assert.equal(after, before, 'nothing stored');
  });

  it('a proposal with a voice at hub A is published by central and shown at hub B', async () => {
    const res = await awa.multipart(
      '/propositions/nouvelle',
      {
        title: 'Lampadaires solaires au marché',
        text: 'Les femmes vendent le soir dans le noir.',
        commune: 'nioro',
        theme: 'infrastructures',
        beneficiaries: 'femmes',
        cost: '2 500 000',
        lang: 'fr',
      },
      { bytes: frenchVoice(), name: 'voix.opus' }
    );
    assert.equal(res.status, 303);
    proposal = decodeURIComponent(/\/propositions\/([^?#]+)/.exec(res.headers.get('location')!)![1]!);
    assert.match(proposal, /^nioro-01:proposal:/);
    const here = await (await awa.get(`/propositions/${encodeURIComponent(proposal)}`)).text();
    assert.match(here, /Lampadaires solaires au marché/);
    assert.match(here, /aucun soutien sur 3/);
    assert.equal((await fetch(`${a.url}/propositions/${encodeURIComponent(proposal)}/voix`)).status, 200);
    await roundTrip(a);
    const there = await (await html(b, `/propositions/${encodeURIComponent(proposal)}`)).text();
    assert.match(there, /Lampadaires solaires au marché/);
    assert.match(there, /data-status="ouverte"/);
    const voice = await fetch(`${b.url}/propositions/${encodeURIComponent(proposal)}/voix`);
    assert.equal(voice.status, 200);
    assert.deepEqual(Buffer.from(await voice.arrayBuffer()), frenchVoice());
  });

  it('a visitor without a code cannot support: the page says how to sign in, nothing stored', async () => {
    const page = await (await html(a, `/propositions/${encodeURIComponent(proposal)}`)).text();
    assert.match(page, /href="\/membre\?suite=/);
    assert.doesNotMatch(page, /action="\/propositions\/[^"]+\/soutenir"/);
    const res = await fetch(`${a.url}/propositions/${encodeURIComponent(proposal)}/soutenir`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: a.url },
      body: '',
    });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /Pour soutenir, entrez avec votre code de membre/);
    const supports = await a.deps.dbs.submissions.allDocs({ startkey: 'nioro-01:support:', endkey: 'nioro-01:support:\ufff0' });
    assert.equal(supports.rows.length, 0);
  });

  it('supported from A, from B and on paper, it reaches its threshold exactly once, at central and on both hubs; nobody supports twice', async () => {
    const path = `/propositions/${encodeURIComponent(proposal)}/soutenir`;
    assert.equal((await chaka.form(path, {})).status, 303);
    const twice = await chaka.form(path, {});
    assert.equal(twice.status, 409);
    assert.match(await twice.text(), /Vous soutenez déjà cette proposition/);
    assert.equal((await binta.form(path, {})).status, 303);
    assert.equal((await binta.form(path, {})).status, 409, 'twice at hub B too');
    // Two of three: not yet.
    await roundTrip(a, b);
    let doc = await publishedAt(proposal);
    assert.equal(doc.status, 'ouverte');
    assert.deepEqual(doc.supports, { members: 2, paper: 0, byHub: { 'nioro-01': 1, 'kayes-02': 1 }, paperByHub: {} });
    // The same support pushed again (as a USB bundle would bring it) is one doc: counted once.
    const again = (await a.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'nioro-01:support:', endkey: 'nioro-01:support:\ufff0' })).rows[0]!
      .doc!;
    const hubCreds = { username: a.deps.config.central.username!, password: a.deps.config.central.password! };
    const repush = await couch(central.url, `submissions-nioro-01/_bulk_docs`, hubCreds, { method: 'POST', body: { docs: [again], new_edits: false } });
    assert.equal(repush.status, 201);
    await central.settled();
    await processProposals(moderator);
    assert.equal((await publishedAt(proposal)).supports.members, 2);

    // A paper sheet entered by the facilitator at hub A; the same sheet twice counts once.
    const facilitator = await consoleAs(a, 'awa-anim', 'facil-password-1', 'facilitator');
    const sheet = await facilitator.post(`/admin/proposals/${encodeURIComponent(proposal)}/paper`, { sheet: 'feuille-1', count: '2' });
    assert.equal(sheet.status, 303);
    assert.equal((await facilitator.post(`/admin/proposals/${encodeURIComponent(proposal)}/paper`, { sheet: 'feuille-1', count: '2' })).status, 409);
    const atA = await (await html(a, `/propositions/${encodeURIComponent(proposal)}`)).text();
    assert.match(atA, /4 soutiens sur 3/);
    assert.match(atA, /dont 2 sur papier/);

    await roundTrip(a);
    doc = await publishedAt(proposal);
    assert.equal(doc.status, 'etude');
    assert.deepEqual(doc.supports, { members: 2, paper: 2, byHub: { 'nioro-01': 1, 'kayes-02': 1 }, paperByHub: { 'nioro-01': 2 } });
    const studyAt = doc.studyAt;
    assert.ok(studyAt);
    // Running the rules again changes nothing: reached once.
    await processProposals(moderator);
    assert.equal((await publishedAt(proposal)).studyAt, studyAt);
    const log = await moderationLog(moderator);
    assert.equal(log.filter((x) => x.action === 'proposal-study' && x.target === proposal).length, 1);
    for (const hub of [a, b]) {
      const page = await (await html(hub, `/propositions/${encodeURIComponent(proposal)}`)).text();
      assert.match(page, /data-status="etude"/, hub.deps.config.hubId);
      assert.match(page, /4 soutiens sur 3/, hub.deps.config.hubId);
    }
  });

  it("an official answers at hub A's console, audited; the answer with its reason reaches both hubs", async () => {
    const facilitatorTry = await consoleAs(a, 'awa-anim2', 'facil-password-2', 'facilitator');
    assert.equal(
      (await facilitatorTry.post(`/admin/proposals/${encodeURIComponent(proposal)}/answer`, { decision: 'retenue', reason: 'non' })).status,
      403,
      'only an official answers'
    );
    const official = await consoleAs(a, 'mairesse', 'official-password-1', 'official');
    const empty = await official.post(`/admin/proposals/${encodeURIComponent(proposal)}/answer`, { decision: 'retenue', reason: '' });
    assert.equal(empty.status, 422);
    const res = await official.post(`/admin/proposals/${encodeURIComponent(proposal)}/answer`, {
      decision: 'retenue',
      reason: 'Inscrite au plan 2027 : quatre lampadaires au marché.',
    });
    assert.equal(res.status, 303);
    const audit = a.deps.config.dataDir + '/audit/audit.jsonl';
    const { readFileSync } = await import('node:fs');
    assert.match(readFileSync(audit, 'utf8'), /"proposal\.answer"[^\n]*mairesse|mairesse[^\n]*"proposal\.answer"/);
    await roundTrip(a);
    const doc = await publishedAt(proposal);
    assert.equal(doc.status, 'retenue');
    assert.equal(doc.answer?.by, 'mairesse');
    for (const hub of [a, b]) {
      const page = await (await html(hub, `/propositions/${encodeURIComponent(proposal)}`)).text();
      assert.match(page, /data-status="retenue"/, hub.deps.config.hubId);
      assert.match(page, /Inscrite au plan 2027/, hub.deps.config.hubId);
    }
    const log = await moderationLog(moderator);
    assert.equal(log.filter((x) => x.action === 'proposal-retenue' && x.target === proposal).length, 1);
    // Answered: no more supports.
    const late = await awa.form(`/propositions/${encodeURIComponent(proposal)}/soutenir`, {});
    assert.equal(late.status, 409);
  });

  it('a plan page shows what was promised and its progress on both hubs, in French and Bambara', async () => {
    for (const hub of [a, b]) {
      const list = await (await html(hub, '/plans')).text();
      assert.match(list, /Plan d’actions prioritaires genre et jeunesse de Nioro/);
      const page = await (await html(hub, '/plans/pap-nioro-2027')).text();
      assert.match(page, /Réhabiliter quatre forages/);
      assert.match(page, /Commission eau du conseil/);
      assert.match(page, /0 % réalisé/);
    }
    // Central publishes a progress update; both hubs show it after their pull.
    const cur = (await couch<Record<string, unknown> & { _rev: string }>(central.url, 'content/plan:pap-nioro-2027', central.editor)).body;
    const next = structuredClone(PLAN) as typeof PLAN & { _rev?: string };
    next._rev = cur._rev;
    (next.priorities[0]!.actions[0]!.progress as unknown[]) = [
      {
        at: '2027-03-31',
        status: 'en-cours',
        done: 50,
        spent: 3000000,
        note: { fr: 'Deux forages sur quatre refaits.' },
        achieved: { total: 1800, F: 1000, M: 800 },
        evidence: [],
      },
    ];
    assert.equal((await couch(central.url, 'content/plan:pap-nioro-2027', central.editor, { method: 'PUT', body: next })).status, 201);
    await Promise.all([syncHub(a), syncHub(b)]);
    for (const hub of [a, b]) {
      const page = await (await html(hub, '/plans/pap-nioro-2027')).text();
      assert.match(page, /50 % réalisé/, hub.deps.config.hubId);
      assert.match(page, /Deux forages sur quatre refaits/);
      assert.match(page, /data-status="en-cours"/);
    }
    // A phone that can keep pages keeps the plan's page (and its evidence files) with *Garder hors-ligne*.
    const keep = (await (await fetch(`${b.url}/hors-ligne/liste/plan/pap-nioro-2027`)).json()) as { home: string; urls: string[] };
    assert.equal(keep.home, '/plans/pap-nioro-2027');
    assert.ok(keep.urls.includes('/plans/pap-nioro-2027'));
    const bm = await (await fetch(`${b.url}/plans/pap-nioro-2027`, { headers: { accept: 'text/html', cookie: 'lang=bm' } })).text();
    assert.match(bm, /50 % kɛra/);
    assert.match(bm, /Nioro ka laɲini/);
  });
});
