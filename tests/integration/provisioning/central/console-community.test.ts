import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerId, publishedPostId } from '../../../../content/index.js';
import { couch, createCommunityUser } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import { frenchVoice, makeMember, publishTopics, signInMember, startTestHub, type TestHub } from '../../../support/index.js';
import type { Client } from '../../admin/console.js';

const MODERATOR = { username: 'moussa', password: 'moderator-password' };
const MENTOR = { username: 'mariam', password: 'mentor-password-1' };

describe("central's console: the moderators' queue and the mentors' questions", () => {
  let central: TestCentral;
  let cons: TestConsole;
  let hub: TestHub;
  let post: string;
  let question: string;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    await createCommunityUser(central.url, central.admin, MODERATOR.username, MODERATOR.password, 'moderator');
    await createCommunityUser(central.url, central.admin, MENTOR.username, MENTOR.password, 'mentor');
    await publishTopics(central);
    const e = await central.enroll('kita-01');
    hub = await startTestHub({ hubId: 'kita-01', central: { url: central.url, username: e.username, password: e.password } });
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    const awa = await signInMember(hub, (await makeMember(hub, 'Awa')).code);
    const posted = await awa.multipart(
      '/communaute/sujet/budget-participatif',
      { title: 'Le budget de Kita', text: 'Qui était au débat ?', lang: 'fr' },
      { bytes: frenchVoice(), name: 'voix.opus' }
    );
    post = decodeURIComponent(/\/communaute\/fil\/([^?#]+)/.exec(posted.headers.get('location') ?? '')![1]!);
    const asked = await awa.multipart('/communaute/mentorat', {
      text: 'Comment parler en conseil communal ?',
      lang: 'fr',
      visibility: 'public',
      topic: 'budget-participatif',
    });
    question = decodeURIComponent(/\/communaute\/question\/([^?#]+)/.exec(asked.headers.get('location') ?? '')![1]!);
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    await central.settled();
  });
  after(async () => {
    await hub?.stop();
    await cons?.stop();
    await central?.stop();
  });

  it('a moderator hears a first post and publishes it for every space; a refusal needs a reason', async () => {
    const moderator: Client = await consoleLogin(cons.origin, MODERATOR);
    const page = await (await moderator.get('/console/moderation')).text();
    assert.match(page, /1 message\(s\) attendent une décision/);
    assert.match(page, /premier message d’un membre/);
    const voice = await moderator.get(`/console/moderation/${encodeURIComponent(post)}/voix`);
    assert.equal(voice.status, 200);
    assert.deepEqual(Buffer.from(await voice.arrayBuffer()), frenchVoice());
    const noReason = await moderator.post(`/console/moderation/${encodeURIComponent(post)}/refuser`, { reason: '' });
    assert.equal(noReason.status, 422);
    assert.match(await noReason.text(), /Donnez une raison/);
    assert.equal((await moderator.post(`/console/moderation/${encodeURIComponent(post)}/publier`)).status, 303);
    const published = await couch<{ status: string }>(central.url, `content/${encodeURIComponent(publishedPostId(post))}`, central.admin);
    assert.equal(published.status, 200);
    assert.equal(published.body.status, 'published');
    assert.match(await (await moderator.get('/console/moderation')).text(), /Rien n’attend de décision/);
    assert.equal((await moderator.get('/console/mentorat')).status, 403, "the mentors' page is theirs");
  });

  it("a mentor answers a question in the console; the answer is content for the asker's space", async () => {
    const mentor: Client = await consoleLogin(cons.origin, MENTOR);
    const page = await (await mentor.get('/console/mentorat')).text();
    assert.match(page, /Comment parler en conseil communal/);
    assert.match(page, /sans réponse/);
    const form = new FormData();
    form.set('_csrf', mentor.csrf);
    form.set('text', 'Préparez une question courte, et venez à deux.');
    form.set('lang', 'fr');
    const empty = new FormData();
    empty.set('_csrf', mentor.csrf);
    const refused = await fetch(`${cons.origin}/console/mentorat/${encodeURIComponent(question)}/repondre`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: mentor.cookie },
      body: empty,
    });
    assert.equal(refused.status, 422);
    const res = await fetch(`${cons.origin}/console/mentorat/${encodeURIComponent(question)}/repondre`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: mentor.cookie },
      body: form,
    });
    assert.equal(res.status, 303);
    const answer = await couch<{ answers: { text?: string; by: string }[] }>(central.url, `content/${encodeURIComponent(answerId(question))}`, central.admin);
    assert.equal(answer.status, 200);
    assert.match(JSON.stringify(answer.body), /Préparez une question courte/);
    assert.equal((await mentor.get('/console/moderation')).status, 403);
  });

  it("a mentor schedules a group session: a mistake keeps what was typed, the session reaches the space's agenda", async () => {
    const mentor: Client = await consoleLogin(cons.origin, MENTOR);
    const past = await mentor.post('/console/mentorat/seances', {
      title: 'Prendre la parole au conseil',
      starts: '2020-01-15T16:00',
      minutes: '90',
      place: 'Espace de Kita',
      commune: 'kita',
      capacity: '25',
      hubs: 'kita-01',
    });
    assert.equal(past.status, 422);
    const page = await past.text();
    assert.match(page, /Le début doit être dans l’avenir/);
    assert.match(page, /value="Prendre la parole au conseil"/);
    assert.match(page, /value="Espace de Kita"/);
    const year = new Date().getUTCFullYear() + 1;
    const ok = await mentor.post('/console/mentorat/seances', {
      title: 'Prendre la parole au conseil',
      starts: `${year}-01-15T16:00`,
      minutes: '90',
      place: 'Espace de Kita',
      commune: 'kita',
      capacity: '25',
      hubs: 'kita-01',
    });
    assert.equal(ok.status, 303);
    const id = `event:mentorat-${year}-01-15-prendre-la-parole-au-conseil`;
    const event = await couch<{ kind: string; mentor: string; endsAt: string; audience: { hubs: string[] } }>(
      central.url,
      `content/${encodeURIComponent(id)}`,
      central.admin
    );
    assert.equal(event.status, 200);
    assert.equal(event.body.kind, 'mentorat');
    assert.equal(event.body.mentor, MENTOR.username);
    assert.equal(event.body.endsAt, `${year}-01-15T17:30:00.000Z`);
    assert.deepEqual(event.body.audience, { hubs: ['kita-01'] });
    assert.match(await (await mentor.get('/console/mentorat/seances')).text(), /Prendre la parole au conseil/);
    assert.equal((await hub.deps.sync.runNow('test')).ok, true);
    assert.match(await (await fetch(`${hub.url}/agenda`, { headers: { accept: 'text/html' } })).text(), /Prendre la parole au conseil/);
  });

  it("the analysts' figures count the community of every space, by sex, age band and space", async () => {
    const analyst: Client = await consoleLogin(cons.origin, ANALYST);
    const page = await (await analyst.get('/console/chiffres')).text();
    assert.match(page, /Communauté SaheLink, tous les espaces/);
    const row = (label: string) => new RegExp(`${label}</t[hd]>\\s*<td[^>]*>(\\d+)`).exec(page)?.[1];
    assert.equal(row('Discussions lancées'), '1');
    assert.equal(row('Questions aux mentores'), '1');
  });
});
