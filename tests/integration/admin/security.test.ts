import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { SessionStore, UserStore } from '../../../hub/auth/index.js';
import type { TestHub } from '../../support/index.js';
import { attemptLogin, client, cookieFrom, login, refusal, startConsoleHub, USERS, PASSWORDS } from './console.js';

describe('console security: cookie, CSRF, login throttling, logout', () => {
  let hub: TestHub;
  before(async () => {
    // A first wait of ten minutes: this shared machine may take seconds per login.
    hub = await startConsoleHub({ admin: { loginFreeAttempts: 3, loginFirstDelaySeconds: 600, loginIpFailures: 6, uploadMaxMB: 1 } });
  });
  after(() => hub.stop());

  it('sets an HttpOnly, SameSite=Strict, /admin-only session cookie with a 256-bit random id', async () => {
    const res = await attemptLogin(hub.url, USERS.facilitator, PASSWORDS.facilitator);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin');
    const header = res.headers.getSetCookie().find((c) => c.startsWith('espace_session='))!;
    assert.match(header, /; HttpOnly/i);
    assert.match(header, /; SameSite=Strict/i);
    assert.match(header, /; Path=\/admin(;|$)/);
    const id = cookieFrom(res, 'espace_session')!;
    assert.equal(Buffer.from(id, 'base64url').length, 32);
    const other = cookieFrom(await attemptLogin(hub.url, USERS.facilitator, PASSWORDS.facilitator), 'espace_session');
    assert.notEqual(other, id, 'each login gets a new id');
  });

  it('refuses a form without the CSRF token, or with a wrong one, with 403 and a page saying so in French', async () => {
    const c = await login(hub.url, 'facilitator');
    const form = { title: 'Atelier', kind: 'atelier', startsAt: '2026-12-01T09:00', place: 'Salle', commune: 'kayes', capacity: '20' };
    for (const [token, reason] of [
      [null, 'csrf-token-missing'],
      ['not-the-token', 'csrf-token-invalid'],
    ] as const) {
      const res = await c.post('/admin/events', form, { csrf: token });
      assert.equal(res.status, 403);
      const page = await refusal(res);
      assert.equal(page.reason, reason);
      assert.match(page.text, /rechargez la page/);
    }
    // Another session's token is no good either.
    const other = await login(hub.url, 'technician');
    assert.equal((await c.post('/admin/events', form, { csrf: other.csrf })).status, 403);
    const events = await hub.deps.catalog.all('event');
    assert.ok(!events.some((e) => (e as { title: { fr: string } }).title.fr === 'Atelier'), 'nothing was created');
    assert.equal((await c.post('/admin/events', form)).status, 303, 'with the token it works');
  });

  it("refuses a login without the login form's token", async () => {
    const body = new URLSearchParams({ username: USERS.facilitator, password: PASSWORDS.facilitator });
    const res = await fetch(`${hub.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    assert.equal(res.status, 403);
    assert.equal((await refusal(res)).reason, 'csrf-token-missing');
  });

  it('makes an account wait after repeated failures from one address, saying when to retry, even for the right password', async () => {
    for (let i = 0; i < 3; i += 1) {
      const res = await attemptLogin(hub.url, USERS.technician, 'wrong-password');
      assert.equal(res.status, 401);
      assert.match(await res.text(), /incorrect/);
    }
    const waiting = await attemptLogin(hub.url, USERS.technician, PASSWORDS.technician);
    assert.equal(waiting.status, 429);
    assert.ok(Number(waiting.headers.get('retry-after')) > 500);
    const page = await waiting.text();
    assert.match(page, /Réessayez dans 10 minutes/);
    assert.match(page, /espace user unlock/);
    assert.equal(cookieFrom(waiting, 'espace_session'), undefined, 'no session while it must wait');
    // The other account is not slowed by it (the address has 3 of its 6 failures).
    assert.equal((await attemptLogin(hub.url, USERS.facilitator, PASSWORDS.facilitator)).status, 303);
  });

  it('limits an address that tries many names', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await attemptLogin(hub.url, `guess${i}`, 'nope-nope')).status, 401);
    const res = await attemptLogin(hub.url, USERS.facilitator, PASSWORDS.facilitator);
    assert.equal(res.status, 429, 'the address reached 6 failures');
    assert.match(await res.text(), /Trop d’essais manqués depuis cet appareil/);
  });

  it('writes logins, failures and actions to the audit log', async () => {
    const entries = await readFile(`${hub.dataDir}/audit/audit.jsonl`, 'utf8');
    const lines = entries
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    assert.ok(lines.some((l) => l.action === 'login' && l.actor === USERS.facilitator && l.role === 'facilitator'));
    assert.ok(lines.some((l) => l.action === 'login.failed' && l.actor === USERS.technician));
    assert.ok(lines.some((l) => l.action === 'login.throttled'));
    assert.ok(lines.some((l) => l.action === 'event.create' && l.actor === USERS.facilitator && /^event:kayes-demo-atelier-/.test(l.target!)));
    assert.ok(
      lines.every((l) => !JSON.stringify(l).includes(PASSWORDS.technician)),
      'never a password'
    );
  });
});

describe('logout', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startConsoleHub();
  });
  after(() => hub.stop());

  it('ends the session on the server', async () => {
    const c = await login(hub.url, 'facilitator');
    assert.equal((await c.get('/admin')).status, 200);
    const out = await c.post('/admin/logout');
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/admin/login');
    const after = await c.get('/admin');
    assert.equal(after.status, 303, 'the old cookie no longer works');
    assert.match(after.headers.get('location')!, /^\/admin\/login/);
    assert.equal((await client(hub.url, c.cookie, c.csrf).post('/admin/events', {})).status, 401);
  });
});

describe('accounts changed outside the console', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startConsoleHub();
  });
  after(() => hub.stop());

  it('ends the sessions of an account removed or given a new password with espace user', async () => {
    const c = await login(hub.url, 'facilitator');
    const users = new UserStore(hub.dataDir);
    await new Promise((r) => setTimeout(r, 5));
    await users.setPassword(USERS.facilitator, 'a-new-password');
    const res = await c.get('/admin');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/login');
    const t = await login(hub.url, 'technician');
    await users.remove(USERS.technician);
    const post = await t.post('/admin/events', {});
    assert.equal(post.status, 401);
    assert.equal((await t.get('/admin')).status, 303, 'and the session is gone');
  });
});

describe('session timing', () => {
  it('expires a session after the idle time and after the absolute time', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1000, absoluteMs: 5000, now: () => now });
    const s = store.create({ username: 'awa', role: 'facilitator' });
    now = 900;
    assert.ok(store.get(s.id), 'used within the idle time');
    now = 1800;
    assert.ok(store.get(s.id), 'idle time counts from the last request');
    now = 2900;
    assert.equal(store.get(s.id), null, 'idle too long');
    const t = store.create({ username: 'awa', role: 'facilitator' });
    for (now = 3000; now <= 7900; now += 700) assert.ok(store.get(t.id), `alive at ${now}`);
    now = 8100;
    assert.equal(store.get(t.id), null, 'absolute limit, however busy');
  });
});
