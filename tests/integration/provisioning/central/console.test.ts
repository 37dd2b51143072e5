import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_PAGES, type ConsoleRole } from '../../../../provisioning/central/console/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';
import { attemptLogin, type Client } from '../../admin/console.js';

/** A path of the table with its parameters filled from the route's example. */
const fill = (path: string, example: Record<string, string> = {}) => path.replace(/:(\w+)/g, (_m, k: string) => encodeURIComponent(example[k] ?? 'x'));

describe("central's console: sign-in with CouchDB's _session, roles from CouchDB", () => {
  let central: TestCentral;
  let cons: TestConsole;
  const as: Partial<Record<ConsoleRole, Client>> = {};

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    as.admin = await consoleLogin(cons.origin, central.admin);
    as.editor = await consoleLogin(cons.origin, central.editor);
    as.analyst = await consoleLogin(cons.origin, ANALYST);
  });
  after(async () => {
    await cons?.stop();
    await central?.stop();
  });

  it('refuses a wrong password in French, keeping the name typed', async () => {
    const res = await attemptLogin(cons.origin, 'editor', 'wrong-password', '/console');
    assert.equal(res.status, 401);
    const page = await res.text();
    assert.match(page, /<html lang="fr">/);
    assert.match(page, /Nom d’utilisateur ou mot de passe incorrect/);
    assert.match(page, /name="username"[^>]*value="editor"/);
  });

  it('slows guessing as the hub does: an account waits at the address that failed, the password unchecked', async () => {
    const slow = await startTestConsole(central, { loginFreeAttempts: 2, loginFirstDelaySeconds: 60 });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await attemptLogin(slow.origin, ANALYST.username, 'wrong-password', '/console')).status, 401);
      const waiting = await attemptLogin(slow.origin, ANALYST.username, ANALYST.password, '/console');
      assert.equal(waiting.status, 429, 'the right password waits too');
      assert.ok(Number(waiting.headers.get('retry-after')) > 0);
      assert.match(await waiting.text(), /Trop d’essais manqués : réessayez dans/);
      assert.equal(
        (await attemptLogin(slow.origin, central.editor.username, central.editor.password, '/console')).status,
        303,
        'another account is not slowed'
      );
    } finally {
      await slow.stop();
    }
  });

  it("refuses a hub's account: hubs sync, they do not use the console", async () => {
    const hub = await central.enroll('kayes-01');
    const res = await attemptLogin(cons.origin, hub.username, hub.password, '/console');
    assert.equal(res.status, 403);
    assert.match(await res.text(), /n’a pas accès à la console/);
  });

  it('shows each person the pages of their roles; an admin sees every menu entry', async () => {
    const menu = async (c: Client) => [...(await (await c.get('/console')).text()).matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);
    const all = CONSOLE_PAGES.filter((p) => p.nav).map((p) => p.nav!.href);
    assert.deepEqual(new Set(await menu(as.admin!)), new Set(all));
    for (const role of ['editor', 'analyst'] as const) {
      const expected = CONSOLE_PAGES.filter(
        (p) => p.nav && p.routes.some((r) => r.method === 'GET' && r.path === p.nav!.href && r.roles !== 'public' && r.roles.includes(role))
      ).map((p) => p.nav!.href);
      assert.deepEqual(new Set(await menu(as[role]!)), new Set(expected), role);
    }
  });

  // Generated from the page table: a new route cannot go unchecked.
  for (const page of CONSOLE_PAGES) {
    for (const route of page.routes) {
      if (route.roles === 'public') continue;
      const roles = route.roles;
      it(`${route.method} ${route.path}: only for ${[...new Set(['admin', ...roles])].join(', ')}`, async () => {
        const path = fill(route.path, route.example);
        const anonymous = await fetch(cons.origin + path, { method: route.method, redirect: 'manual' });
        if (route.method === 'GET') {
          assert.equal(anonymous.status, 303);
          assert.match(anonymous.headers.get('location') ?? '', /^\/console\/login\?next=/);
        } else assert.equal(anonymous.status, 401);
        for (const role of ['admin', 'editor', 'analyst'] as const) {
          const mayUse = role === 'admin' || roles.includes(role);
          const c = as[role]!;
          if (route.method === 'GET') {
            const res = await c.get(path);
            assert.equal(res.status === 403, !mayUse, `${role} → ${res.status}`);
          } else {
            const noToken = await c.post(path, {}, { csrf: null });
            assert.equal(noToken.status, 403, `${role} without a token`);
            if (!mayUse) assert.equal((await c.post(path, {})).status, 403, role);
          }
        }
      });
    }
  }

  it('signing out ends the session: the next page asks to sign in again', async () => {
    const c = await consoleLogin(cons.origin, central.editor);
    assert.equal((await c.get('/console')).status, 200);
    assert.equal((await c.post('/console/logout')).status, 303);
    const res = await c.get('/console');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/console\/login/);
  });

  it('answers an unknown page in French, and never lets a page be cached', async () => {
    const res = await as.editor!.get('/console/nulle-part');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Cette page n’existe pas/);
    assert.equal((await as.editor!.get('/console')).headers.get('cache-control'), 'no-store');
  });
});
