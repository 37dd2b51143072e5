import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memberDocId } from '../../../content/index.js';
import { cookieFrom, login, startConsoleHub, submit, type Client } from '../admin/console.js';
import { communityWith, type TestHub } from '../../support/index.js';

const PHONE = '+223 76 12 34 56';

/** A phone's sign-in on the portal: the form's POST with the page's Origin, as a browser sends it. */
async function signIn(hub: TestHub, code: string, pin: string, lang = 'fr'): Promise<Response> {
  return fetch(`${hub.url}/membre`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: hub.url, cookie: `lang=${lang}` },
    body: new URLSearchParams({ code, pin, next: '/membre' }),
  });
}

describe('members: codes, cards, PINs, sessions, suspension', () => {
  let hub: TestHub;
  let f: Client;
  let registration: string;
  let code: string;

  before(async () => {
    hub = await startConsoleHub({
      community: communityWith({ pinFreeAttempts: 3, preModeratedPosts: 3, flagsToHide: 3, postsPerMemberPerHour: 20 }),
    });
    f = await login(hub.url, 'facilitator');
    registration = await submit(hub, 'registration', {
      fullName: 'Fatoumata Diarra',
      sex: 'F',
      ageBand: '15-24',
      commune: 'kayes',
      phone: PHONE,
      consent: true,
    });
  });
  after(() => hub.stop());

  it('refuses a bad display name or PIN in the console, keeping what was typed, and stores nothing', async () => {
    const url = `/admin/members/${encodeURIComponent(registration)}/code`;
    const phoneName = await f.post(url, { displayName: '76 12 34 56', pin: '4821', pin2: '4821' });
    assert.equal(phoneName.status, 422);
    const page = await phoneName.text();
    assert.match(page, /phone number/);
    assert.match(page, /value="76 12 34 56"/);
    const mismatch = await f.post(url, { displayName: 'Fatou K', pin: '4821', pin2: '4822' });
    assert.equal(mismatch.status, 422);
    assert.match(await mismatch.text(), /deux codes PIN sont différents/);
    const shortPin = await f.post(url, { displayName: 'Fatou K', pin: '12', pin2: '12' });
    assert.equal(shortPin.status, 422);
    assert.equal(await hub.deps.members.store.ofRegistration(registration), null);
  });

  it('gives a code and prints a card with a QR code, the display name and never the phone number', async () => {
    const res = await f.post(`/admin/members/${encodeURIComponent(registration)}/code`, { displayName: 'Fatou K', pin: '4821', pin2: '4821' });
    assert.equal(res.status, 303, await res.text());
    const m = await hub.deps.members.store.ofRegistration(registration);
    assert.ok(m);
    code = m.code;
    assert.match(code, /^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    const doc = (await hub.deps.dbs.submissions.get(memberDocId('kayes-demo', code))) as Record<string, unknown>;
    assert.equal(doc.displayName, 'Fatou K');
    assert.equal(doc.sex, 'F');
    // The PIN's hash stays in a _local doc (never replicated); the member doc has no PIN.
    assert.equal(JSON.stringify(doc).includes('4821'), false);
    assert.equal('pin' in doc || 'pinHash' in doc, false);
    const card = await (await f.get(res.headers.get('location')!)).text();
    assert.match(card, /<svg class="qr"/);
    assert.ok(card.includes(code));
    assert.ok(card.includes('Fatou K'));
    assert.equal(card.includes('76 12 34 56'), false, 'the card never shows the phone number');
    const again = await f.post(`/admin/members/${encodeURIComponent(registration)}/code`, { displayName: 'Autre', pin: '1111', pin2: '1111' });
    assert.equal(again.status, 409);
    const audit = await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:member:', endkey: 'kayes-demo:member:\ufff0' });
    assert.equal(audit.rows.length, 1);
  });

  it('signs in on the portal with the code (typed loosely) and PIN; the portal shows the display name only', async () => {
    const res = await signIn(hub, code.toLowerCase().replace('-', ' '), '4821');
    assert.equal(res.status, 303);
    const cookie = `espace_membre=${cookieFrom(res, 'espace_membre')}`;
    assert.match(res.headers.getSetCookie().join(';'), /HttpOnly/i);
    const page = await (await fetch(`${hub.url}/membre`, { headers: { cookie, accept: 'text/html' } })).text();
    assert.ok(page.includes('Fatou K'));
    assert.equal(page.includes('76 12 34 56'), false);
    assert.equal(page.includes('Fatoumata'), false, 'the full name stays in the console');
    // A rename from another site is refused (no Origin of this hub).
    const forged = await fetch(`${hub.url}/membre/nom`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: 'displayName=Pirate',
    });
    assert.equal(forged.status, 403);
    const rename = await fetch(`${hub.url}/membre/nom`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: hub.url },
      body: 'displayName=Fatou+de+Kayes',
    });
    assert.equal(rename.status, 303);
    assert.equal((await hub.deps.members.get(code))?.member.displayName, 'Fatou de Kayes');
  });

  it('says what is wrong in the visitor language, keeps the code typed, and locks the code after repeated wrong PINs', async () => {
    const wrongFr = await signIn(hub, code, '0000');
    assert.equal(wrongFr.status, 401);
    const fr = await wrongFr.text();
    assert.match(fr, /ne vont pas ensemble/);
    assert.ok(fr.includes(`value="${code}"`));
    const wrongBm = await signIn(hub, code, '0001', 'bm');
    assert.match(await wrongBm.text(), /tɛ ɲɔgɔn ta ye/);
    // Third wrong PIN locks the code: even the right PIN is refused now.
    await signIn(hub, code, '0002');
    const locked = await signIn(hub, code, '4821');
    assert.equal(locked.status, 429);
    const wait = Math.ceil(Number(locked.headers.get('retry-after')) / 60);
    assert.ok(wait >= 1);
    assert.match(await locked.text(), new RegExp(`(Trop d'essais|Trop d&#39;essais)\\. Réessayez dans ${wait} min`));
    // The Bambara page says the same wait, in minutes.
    assert.match(await (await signIn(hub, code, '4821', 'bm')).text(), /I ye ka caya\. Miniti \d+ makɔnɔ/);
    // A new PIN from the facilitator unlocks it.
    const reset = await f.post(`/admin/members/${encodeURIComponent(registration)}/pin`, { pin: '9753' });
    assert.equal(reset.status, 303);
    assert.equal((await signIn(hub, code, '9753')).status, 303);
  });

  it('a suspended code cannot sign in, and its open sessions end at once; reinstating is a doc too', async () => {
    const open = await signIn(hub, code, '9753');
    const cookie = `espace_membre=${cookieFrom(open, 'espace_membre')}`;
    const noReason = await f.post(`/admin/members/${encodeURIComponent(registration)}/suspend`, { suspend: 'yes', reason: '' });
    assert.equal(noReason.status, 422);
    assert.equal((await hub.deps.members.get(code))?.suspended, false);
    const res = await f.post(`/admin/members/${encodeURIComponent(registration)}/suspend`, { suspend: 'yes', reason: 'insultes répétées' });
    assert.equal(res.status, 303);
    const still = await (await fetch(`${hub.url}/membre`, { headers: { cookie, accept: 'text/html' } })).text();
    assert.match(still, /name="pin"/, 'the session ended: the sign-in form is shown');
    const refused = await signIn(hub, code, '9753');
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /suspendu/);
    const acts = await hub.deps.dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:moderation:', endkey: 'kayes-demo:moderation:\ufff0' });
    assert.deepEqual(
      acts.rows.map((r) => [(r.doc as any).action, (r.doc as any).target, (r.doc as any).by]),
      [['suspend', code, 'awa']]
    );
    await f.post(`/admin/members/${encodeURIComponent(registration)}/suspend`, { suspend: 'no', reason: 'excuses faites' });
    assert.equal((await signIn(hub, code, '9753')).status, 303);
  });

  it('a suspension written at central (content addressed to this hub) suspends the code here', async () => {
    const id = `suspension:kayes-demo-${code.replace('-', '').toLowerCase()}`;
    await hub.deps.dbs.content.put({
      _id: id,
      type: 'suspension',
      audience: { hubs: ['kayes-demo'] },
      member: { hub: 'kayes-demo', code },
      active: true,
      reason: 'modération centrale',
      at: '2026-12-01T10:00:00Z',
    });
    assert.equal((await signIn(hub, code, '9753')).status, 403);
    const doc = await hub.deps.dbs.content.get(id);
    await hub.deps.dbs.content.put({ ...doc, active: false });
    assert.equal((await signIn(hub, code, '9753')).status, 303);
    // The suspension is never served to phones.
    assert.equal((await fetch(`${hub.url}/db/content/${id}`)).status, 404);
    assert.equal((await fetch(`${hub.url}/api/v1/content/${id}`)).status, 404);
  });

  it('wrong PINs of one code from many phones are counted together; a refused sign-in says when to retry; a new PIN clears them', async () => {
    // pinCodeFailures is 10: ten phones, one wrong PIN each (none of them slowed on its own).
    for (let i = 1; i <= 10; i += 1) {
      await assert.rejects(hub.deps.members.authenticate(code, '0000', `10.0.0.${i}`), (e: { status?: number }) => e.status === 401);
    }
    await assert.rejects(
      hub.deps.members.authenticate(code, '9753', '10.0.1.1'),
      (e: { status?: number; reason?: string }) => e.status === 429 && e.reason === 'pin-locked'
    );
    const res = await signIn(hub, code, '9753');
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
    assert.match(await res.text(), /Trop d'essais|Trop d&#39;essais/);
    const reset = await f.post(`/admin/members/${encodeURIComponent(registration)}/pin`, { pin: '9753' });
    assert.equal(reset.status, 303);
    assert.equal((await signIn(hub, code, '9753')).status, 303);
  });

  it('the facilitator opens a member session at the kiosk (audited), and erasure removes the code', async () => {
    const res = await f.post(`/admin/members/${encodeURIComponent(registration)}/kiosk-session`);
    assert.equal(res.status, 303);
    const member = cookieFrom(res, 'espace_membre');
    assert.ok(member);
    const page = await (await fetch(`${hub.url}/membre`, { headers: { cookie: `espace_membre=${member}`, accept: 'text/html' } })).text();
    assert.ok(page.includes('Fatou de Kayes'));
    const erase = await f.post(`/admin/members/${encodeURIComponent(registration)}/erase`, { confirm: 'yes' });
    assert.equal(erase.status, 303);
    assert.equal(await hub.deps.members.get(code), null);
    assert.equal((await signIn(hub, code, '9753')).status, 401);
  });
});
