import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { POST_TEXT_MAX, VOICE_MAX_BYTES } from '../../../content/index.js';
import { communityWith, frenchVoice, makeMember, signInMember, startTestHub, TOPICS, type MemberClient, type TestHub } from '../../support/index.js';

const community = communityWith({ preModeratedPosts: 3, flagsToHide: 3, postsPerMemberPerHour: 6 });

async function postCount(hub: TestHub): Promise<number> {
  const prefix = `${hub.deps.config.hubId}:post:`;
  return (await hub.deps.dbs.submissions.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0` })).rows.length;
}

describe('community: bad input, script, rate limits', () => {
  let hub: TestHub;
  let fatou: MemberClient;
  let bm: MemberClient;

  before(async () => {
    hub = await startTestHub({ hubId: 'diema-01', community, limits: { bodyBytes: 65536, submissionsPerMinute: 200 } });
    await hub.deps.dbs.content.bulkDocs(TOPICS);
    fatou = await signInMember(hub, (await makeMember(hub, 'Fatou')).code);
    bm = await signInMember(hub, (await makeMember(hub, 'Kadia')).code, '2468', 'bm');
  });
  after(() => hub.stop());

  const topic = '/communaute/sujet/budget-participatif';

  it("refuses an empty post, audio that is not audio, a text too long and a recording too long, in the visitor's language, keeping what was typed and storing nothing", async () => {
    const empty = await fatou.multipart(topic, { title: 'Mon titre', text: '   ', lang: 'fr' });
    assert.equal(empty.status, 422);
    const page = await empty.text();
    assert.match(page, /Le message est vide/);
    assert.match(page, /value="Mon titre"/);
    const emptyBm = await bm.multipart(topic, { text: '', lang: 'bm' });
    assert.match(await emptyBm.text(), /Cikan lankolon don/);

    const fake = await fatou.multipart(
      topic,
      { text: 'Écoutez mon message', lang: 'fr' },
      { bytes: new TextEncoder().encode('<html>not a sound at all, just text</html>'), name: 'voix.ogg', type: 'audio/ogg' }
    );
    assert.equal(fake.status, 422);
    const fakePage = await fake.text();
    assert.match(fakePage, /n(&#39;|')est pas un son/);
    assert.match(fakePage, />Écoutez mon message<\/textarea>/);

    const long = await fatou.multipart(topic, { text: 'a'.repeat(POST_TEXT_MAX + 1), lang: 'fr' });
    assert.equal(long.status, 422);
    assert.match(await long.text(), /trop long/);

    // A recording over the limit: refused by the service (the portal shows community.err.voiceTooLong).
    const big = new Uint8Array(VOICE_MAX_BYTES + 1000);
    big.set(frenchVoice());
    const member = (await hub.deps.members.store.list())[0]!;
    await assert.rejects(
      hub.deps.community.post(member, { topic: 'topic:budget-participatif', text: 'long', lang: 'fr', voice: big }),
      (e: { status?: number; reason?: string }) => e.status === 413 && e.reason === 'voice-too-long'
    );

    const badLang = await fatou.multipart(topic, { text: 'hello', lang: 'xx' });
    assert.equal(badLang.status, 422);
    assert.match(await badLang.text(), /Choisissez la langue/);

    const unknown = await fatou.multipart('/communaute/sujet/sujet-inconnu', { text: 'bonjour', lang: 'fr' });
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /<html/);
    const noThread = await fatou.multipart(`/communaute/fil/${encodeURIComponent('diema-01:post:000000000000aaaaaaaaaa')}`, { text: 'bonjour', lang: 'fr' });
    assert.equal(noThread.status, 404);
    assert.equal(await postCount(hub), 0, 'nothing stored');
  });

  it('a visitor without a code cannot post, and a post from another site is refused', async () => {
    const body = new FormData();
    body.set('text', 'anonyme');
    body.set('lang', 'fr');
    const anon = await fetch(`${hub.url}${topic}`, { method: 'POST', headers: { origin: hub.url, accept: 'text/html' }, body, redirect: 'manual' });
    assert.equal(anon.status, 401);
    const forged = await fetch(`${hub.url}${topic}`, {
      method: 'POST',
      headers: { cookie: fatou.cookie, origin: 'http://evil.example', accept: 'text/html' },
      body,
      redirect: 'manual',
    });
    assert.equal(forged.status, 403);
    assert.equal(await postCount(hub), 0);
  });

  it('a script in a post is shown as text, never as markup', async () => {
    const res = await fatou.multipart(topic, {
      title: '<img src=x onerror=alert(1)>',
      text: '<script>window.pwned=1</script>\n"><svg onload=alert(2)>',
      lang: 'fr',
    });
    assert.equal(res.status, 303);
    const thread = res.headers.get('location')!.split('?')[0]!;
    const page = await (await fatou.get(thread)).text();
    assert.doesNotMatch(page, /<script>window\.pwned/);
    assert.doesNotMatch(page, /<img src=x/);
    assert.doesNotMatch(page, /<svg onload/);
    assert.match(page, /&lt;script&gt;window\.pwned=1&lt;\/script&gt;/);
    const topicPage = await (await fetch(`${hub.url}${topic}`, { headers: { accept: 'text/html' } })).text();
    assert.match(topicPage, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('refuses control characters and direction overrides in a post, as every text of the product (storing nothing)', async () => {
    const before = await postCount(hub);
    const bidi = await bm.multipart(topic, { title: 'gro.live\u202E', text: 'Ne ka cikan', lang: 'bm' });
    assert.equal(bidi.status, 422);
    const control = await bm.multipart(topic, { text: 'sonnerie\u0007 et \u001b[31m', lang: 'bm' });
    assert.equal(control.status, 422);
    assert.equal(await postCount(hub), before);
    await assert.rejects(
      hub.deps.members.store.rename((await hub.deps.members.store.list())[0]!.code, 'Awa\u2066K'),
      (e: { status?: number }) => e.status === 422
    );
  });

  it("limits posts per member per hour, in the member's language; another member is still served", async () => {
    // One post was stored above; the limit (6 an hour) counts refused attempts that reached the store only.
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) last = await fatou.multipart(topic, { text: `message ${i}`, lang: 'fr' });
    assert.equal(last!.status, 429);
    assert.match(await last!.text(), /Trop de messages/);
    const other = await bm.multipart(topic, { text: 'Ne ka cikan', lang: 'bm' });
    assert.equal(other.status, 303);
  });

  it('limits POSTs per phone (whatever the code), on top of the member limit', async () => {
    const phoneHub = await startTestHub({ hubId: 'diema-02', community, limits: { bodyBytes: 65536, submissionsPerMinute: 4 } });
    try {
      await phoneHub.deps.dbs.content.bulkDocs(TOPICS);
      const a = await signInMember(phoneHub, (await makeMember(phoneHub, 'Awa')).code);
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 5; i += 1) {
        const res = await a.multipart(topic, { title: `Sujet ${i}`, text: `Mon message numéro ${i}, écrit avec soin`, lang: 'fr' });
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      assert.ok(limited, `per-phone limit: ${statuses.join(',')}`);
      // The form comes back with what was typed and the catalog's sentence; nothing is lost.
      const page = await limited.text();
      assert.match(page, /Trop d&#39;envois depuis ce téléphone/);
      assert.match(page, /<textarea[^>]*>Mon message numéro \d, écrit avec soin<\/textarea>/);
      assert.match(page, /value="Sujet \d"/);
    } finally {
      await phoneHub.stop();
    }
  });
});
