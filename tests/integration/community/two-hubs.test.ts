import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerId, publishedPostId } from '../../../content/index.js';
import { createCommunityUser } from '../../../provisioning/central/index.js';
import {
  answerQuestion,
  approvePost,
  callAs,
  mentorQueue,
  moderationLog,
  moderationQueue,
  processCommunity,
  setMemberSuspended,
  type CentralCall,
} from '../../../provisioning/central/community/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import {
  COMMUNITY,
  frenchVoice,
  makeMember,
  publishTopics,
  signInMember,
  startTwoHubs,
  syncHub,
  type MemberClient,
  type TestHub,
} from '../../support/index.js';

const RULES = { preModeratedPosts: 1, flagsToHide: 2 };

/** The post id a redirect after posting names. */
function postIdFrom(res: Response): string {
  assert.equal(res.status, 303, `expected a redirect after posting, got ${res.status}`);
  return decodeURIComponent(/\/communaute\/fil\/([^?#]+)/.exec(res.headers.get('location') ?? '')![1]!);
}

describe('community across two hubs and central', () => {
  let central: TestCentral;
  let a: TestHub;
  let b: TestHub;
  let moderator: CentralCall;
  let mentor: CentralCall;
  let awa: MemberClient;
  let binta: MemberClient;
  let chaka: MemberClient;
  let awaCode: string;
  let thread: string;
  let hubA: { username: string; password: string };

  before(async () => {
    central = await startTestCentral();
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    await createCommunityUser(central.url, central.admin, 'mariam', 'mentor-password-1', 'mentor');
    moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    mentor = callAs(central.url, { username: 'mariam', password: 'mentor-password-1' });
    await publishTopics(central);
    ({ a, b, hubA } = await startTwoHubs(central, { community: COMMUNITY }));
    const m = await makeMember(a, 'Awa');
    awaCode = m.code;
    awa = await signInMember(a, m.code);
    binta = await signInMember(b, (await makeMember(b, 'Binta')).code);
    chaka = await signInMember(a, (await makeMember(a, 'Chaka', '1357', 'M', '25-35')).code, '1357');
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await central?.stop();
  });

  it('a voice post at hub A is "en attente", then "envoyé à Bamako", is approved, and is visible and playable at hub B', async () => {
    const res = await awa.multipart(
      '/communaute/sujet/budget-participatif',
      { title: 'Le budget de Nioro', text: 'Qui a assisté au débat public ?', lang: 'fr' },
      { bytes: frenchVoice(), name: 'voix.opus' }
    );
    thread = postIdFrom(res);
    assert.match(thread, /^nioro-01:post:/);
    const here = await (await awa.get(`/communaute/fil/${encodeURIComponent(thread)}`)).text();
    assert.match(here, /class="state pending">en attente</);
    assert.match(here, /Qui a assisté au débat public/);
    // Visitors without a code read and listen: the post is on the topic page for everyone here.
    const visitor = await (await fetch(`${a.url}/communaute/sujet/budget-participatif`, { headers: { accept: 'text/html' } })).text();
    assert.match(visitor, /Le budget de Nioro/);
    assert.doesNotMatch(visitor, /<form method="post" action="\/communaute\/sujet/);
    // The recording is served from the hub at once.
    const local = await fetch(`${a.url}/communaute/voix/${encodeURIComponent(thread)}`);
    assert.equal(local.status, 200);
    assert.equal(local.headers.get('content-type'), 'audio/ogg');

    await syncHub(a);
    assert.match(await (await awa.get(`/communaute/fil/${encodeURIComponent(thread)}`)).text(), /class="state sent">envoyé à Bamako</);
    // Hub B does not have it before a moderator approves it (a first post is pre-moderated).
    await central.settled(); // CouchDB's replicator merges a moment after the push
    await processCommunity(moderator, RULES);
    const queue = await moderationQueue(moderator);
    assert.deepEqual(
      queue.map((q) => [q.post, q.kind, q.hasVoice]),
      [[thread, 'premoderation', true]]
    );
    await syncHub(b);
    assert.equal((await fetch(`${b.url}/communaute/fil/${encodeURIComponent(thread)}`, { headers: { accept: 'text/html' } })).status, 404);

    await approvePost(moderator, thread, 'moussa');
    assert.deepEqual(await moderationQueue(moderator), []);
    await syncHub(b);
    const there = await (await fetch(`${b.url}/communaute/fil/${encodeURIComponent(thread)}`, { headers: { accept: 'text/html' } })).text();
    assert.match(there, /class="state published">publié</);
    assert.match(there, /Awa/);
    const voice = await fetch(`${b.url}/communaute/voix/${encodeURIComponent(thread)}`);
    assert.equal(voice.status, 200, 'the recording reached hub B with the media sync');
    assert.match(voice.url, /\/media\/[0-9a-f]{64}$/);
    assert.deepEqual(Buffer.from(await voice.arrayBuffer()), frenchVoice());
    await syncHub(a);
    assert.match(await (await awa.get(`/communaute/fil/${encodeURIComponent(thread)}`)).text(), /class="state published">publié</);
    const acts = await moderationLog(moderator);
    assert.ok(acts.some((x) => x.action === 'approve' && x.target === thread && x.by === 'moussa'));
  });

  it("past the pre-moderated posts, a member's next post is published by the rules without waiting", async () => {
    const res = await awa.multipart(`/communaute/fil/${encodeURIComponent(thread)}`, { text: 'Moi aussi, et j’ai posé une question.', lang: 'fr' });
    assert.equal(res.status, 303);
    await syncHub(a);
    await central.settled(); // CouchDB's replicator merges a moment after the push
    const report = await processCommunity(moderator, RULES);
    assert.equal(report.published, 1);
    await syncHub(b);
    assert.match(
      await (await fetch(`${b.url}/communaute/fil/${encodeURIComponent(thread)}`, { headers: { accept: 'text/html' } })).text(),
      /j’ai posé une question/
    );
  });

  it('a post flagged N times from two hubs is hidden everywhere; the same flag twice counts once', async () => {
    // Binta (hub B) replies; Chaka flags it at hub A and Dani at hub B.
    const binRes = await binta.multipart(`/communaute/fil/${encodeURIComponent(thread)}`, { text: 'Message à signaler', lang: 'fr' });
    assert.equal(binRes.status, 303);
    await syncHub(b);
    await central.settled(); // CouchDB's replicator merges a moment after the push
    await processCommunity(moderator, RULES);
    const pending = (await moderationQueue(moderator)).find((q) => q.author.name === 'Binta')!;
    await approvePost(moderator, pending.post, 'moussa');
    await Promise.all([syncHub(a), syncHub(b)]);
    const target = pending.post;
    const flagAt = (c: MemberClient) => c.form(`/communaute/fil/${encodeURIComponent(thread)}/signaler`, { post: target, reason: 'insulte' });
    assert.equal((await flagAt(chaka)).status, 303);
    const twice = await flagAt(chaka);
    assert.equal(twice.status, 409);
    assert.match(await twice.text(), /déjà signalé/);
    await syncHub(a);
    await central.settled(); // CouchDB's replicator merges a moment after the push
    let report = await processCommunity(moderator, RULES);
    assert.equal(report.hidden, 0, 'one flag is not enough');
    const dani = await signInMember(b, (await makeMember(b, 'Dani')).code);
    assert.equal((await flagAt(dani)).status, 303);
    await syncHub(b);
    await central.settled(); // CouchDB's replicator merges a moment after the push
    report = await processCommunity(moderator, RULES);
    assert.equal(report.hidden, 1);
    await Promise.all([syncHub(a), syncHub(b)]);
    for (const hub of [a, b]) {
      const page = await (await fetch(`${hub.url}/communaute/fil/${encodeURIComponent(thread)}`, { headers: { accept: 'text/html' } })).text();
      assert.doesNotMatch(page, /Message à signaler/, `hidden at ${hub.deps.config.hubId}`);
      assert.match(page, /Message masqué par la modération/);
    }
    assert.equal((await moderationQueue(moderator)).find((q) => q.post === target)?.kind, 'flags');
  });

  it('a code suspended at central cannot post at its hub once pulled', async () => {
    await setMemberSuspended(moderator, 'nioro-01', awaCode, true, 'propos injurieux', 'moussa');
    await syncHub(a);
    const res = await awa.multipart('/communaute/sujet/budget-participatif', { text: 'Encore moi', lang: 'fr' });
    assert.equal(res.status, 401, 'the session ended with the suspension');
    const again = await fetch(`${a.url}/membre`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.url, accept: 'text/html' },
      body: new URLSearchParams({ code: awaCode, pin: '2468' }),
    });
    assert.equal(again.status, 403);
    await setMemberSuspended(moderator, 'nioro-01', awaCode, false, 'excuses', 'moussa');
    await syncHub(a);
    awa = await signInMember(a, awaCode);
  });

  it("a mentor answers a private question from the central side; it reaches only the asker's hub, unreadable by others; the asker marks it solved", async () => {
    const res = await awa.multipart(
      '/communaute/mentorat',
      { text: 'Comment préparer ma première session budgétaire ? motsecretzebre', lang: 'fr', visibility: 'private', topic: 'budget-participatif' },
      { bytes: frenchVoice(), name: 'q.opus' }
    );
    assert.equal(res.status, 303);
    const question = decodeURIComponent(/\/communaute\/question\/([^?#]+)/.exec(res.headers.get('location')!)![1]!);
    await syncHub(a);
    await central.settled(); // CouchDB's replicator merges a moment after the push
    await processCommunity(moderator, RULES);
    const asked = (await mentorQueue(mentor)).find((q) => q.question === question)!;
    assert.equal(asked.visibility, 'private');
    assert.equal(asked.answeredAt, undefined);
    await answerQuestion(
      mentor,
      question,
      {
        text: 'Lisez le budget de l’an passé, et réunissez les femmes élues avant. reponsezebre',
        voice: { data: frenchVoice(), mime: 'audio/ogg' },
        lang: 'fr',
      },
      'Mariam (Montreuil)'
    );
    await Promise.all([syncHub(a), syncHub(b)]);

    const mine = await (await awa.get(`/communaute/question/${encodeURIComponent(question)}`)).text();
    assert.match(mine, /réunissez les femmes élues/);
    assert.match(mine, /Mariam \(Montreuil\)/);
    const id = answerId(question);
    // Not for other members, visitors, the API, /db, search, or another hub.
    assert.equal((await chaka.get(`/communaute/question/${encodeURIComponent(question)}`)).status, 404);
    assert.equal((await fetch(`${a.url}/communaute/question/${encodeURIComponent(question)}`, { headers: { accept: 'text/html' } })).status, 404);
    assert.equal((await fetch(`${a.url}/communaute/question/${encodeURIComponent(question)}/voix`)).status, 404);
    assert.equal((await fetch(`${a.url}/api/v1/content/${id}`)).status, 404);
    assert.equal((await fetch(`${a.url}/api/v1/content?type=answer`)).status, 400);
    assert.equal((await fetch(`${a.url}/db/content/${id}`)).status, 404);
    const changes = await (await fetch(`${a.url}/db/content/_changes?include_docs=true`)).text();
    assert.equal(changes.includes('reponsezebre') || changes.includes('motsecretzebre') || changes.includes(id), false);
    const search = (await (await fetch(`${a.url}/api/v1/search?q=reponsezebre`)).json()) as { items: unknown[] };
    assert.deepEqual(search.items, []);
    assert.equal(await b.deps.catalog.maybe(id), null, 'hub B never receives a private thread of hub A');
    assert.equal((await fetch(`${b.url}/communaute/question/${encodeURIComponent(question)}`, { headers: { accept: 'text/html' } })).status, 404);

    const solved = await awa.form(`/communaute/question/${encodeURIComponent(question)}/resolu`, {});
    assert.equal(solved.status, 303);
    assert.match(await (await awa.get(`/communaute/question/${encodeURIComponent(question)}`)).text(), /Résolu/);
    await syncHub(a);
    await central.settled(); // CouchDB's replicator merges a moment after the push
    await processCommunity(moderator, RULES);
    assert.ok((await mentorQueue(mentor)).find((q) => q.question === question)?.resolvedAt);
  });

  it('the figures count posts, replies and answered questions by sex and age band', async () => {
    const f = await a.deps.community.figures();
    assert.equal(f.posts.bySex.F, 1);
    assert.ok(f.replies.total >= 1);
    assert.equal(f.questions.total, 1);
    assert.equal(f.answered.byAge['15-24'], 1);
    assert.equal(f.resolved, 1);
    assert.equal(f.hoursToAnswer.n, 1);
    assert.equal(Object.keys(f.bySpace).join(), 'nioro-01');
  });

  it("a moderator cannot write what is not theirs, and a hub cannot write central's content", async () => {
    const res = await moderator(`content/${encodeURIComponent('announcement:x')}`, {
      method: 'PUT',
      body: { type: 'announcement', audience: { all: true }, title: { fr: 'x' }, body: { fr: 'x' }, publishedAt: '2026-12-01T00:00:00Z' },
    });
    assert.equal(res.status, 403);
    // A hub's own account: no write to central's content, no read of the moderation log (403, or 401 for a db it is not a member of).
    const auth = { authorization: `Basic ${Buffer.from(`${hubA.username}:${hubA.password}`).toString('base64')}`, 'content-type': 'application/json' };
    const forged = await fetch(`${central.url}/content/${encodeURIComponent(publishedPostId('nioro-01:post:0000000000000aaaaaaaaaa'))}`, {
      method: 'PUT',
      headers: auth,
      body: '{}',
    });
    assert.ok([401, 403].includes(forged.status), String(forged.status));
    const log = await fetch(`${central.url}/moderation/_all_docs`, { headers: auth });
    assert.ok([401, 403].includes(log.status), `hubs cannot read the moderation log (${log.status})`);
  });
});
