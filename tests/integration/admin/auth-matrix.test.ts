import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_ROUTES } from '../../../hub/admin/index.js';
import type { TestHub } from '../../support/index.js';
import { client, login, refusal, startConsoleHub, type Client } from './console.js';

/** The route's path with its parameters filled from its example; a route without examples fails here. */
function concrete(path: string, example: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    assert.ok(example[name], `route ${path} needs an example value for :${name} in the route table`);
    return encodeURIComponent(example[name]);
  });
}

/** Any answer of the console: its status, and its reason when it is a refusal (a page in French). */
const envelope = refusal;

const DENIED = ['login-required', 'forbidden-role', 'csrf-token-missing', 'csrf-token-invalid'];

describe('auth matrix generated from the route table', () => {
  let hub: TestHub;
  let as: Record<'anonymous' | 'facilitator' | 'technician' | 'official', Client>;
  // Logging out ends the session the other checks use: it goes last.
  const routes = [...ADMIN_ROUTES].sort((a, b) => Number(a.path === '/admin/logout') - Number(b.path === '/admin/logout'));

  before(async () => {
    hub = await startConsoleHub();
    as = {
      anonymous: client(hub.url),
      facilitator: await login(hub.url, 'facilitator'),
      technician: await login(hub.url, 'technician'),
      official: await login(hub.url, 'official'),
    };
  });
  after(() => hub.stop());

  it('covers every route of the table (and the table is not empty)', () => {
    assert.ok(routes.length >= 30, `only ${routes.length} routes`);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    assert.equal(new Set(keys).size, keys.length, 'no route is listed twice');
  });

  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    it(name, async () => {
      const path = concrete(route.path, route.example);
      const call = (c: Client) => (route.method === 'GET' ? c.get(path) : route.body === 'multipart' ? c.upload(path) : c.post(path, {}));
      if (route.roles === 'public') {
        // The login form: open to anyone (its POST still needs the form's own token).
        const r = await envelope(await call(as.anonymous));
        assert.ok(r.status !== 401 && r.reason !== 'forbidden-role' && r.status < 500, `${name} is public: ${r.status} ${r.reason ?? ''}`);
        return;
      }
      const anon = await envelope(await call(as.anonymous));
      if (route.method === 'GET') {
        assert.equal(anon.status, 303, `${name}: anonymous is sent to the login form`);
        assert.match(anon.location ?? '', /^\/admin\/login\?next=/);
      } else {
        assert.equal(anon.status, 401, `${name}: anonymous gets 401`);
        assert.equal(anon.reason, 'login-required');
      }
      for (const role of ['facilitator', 'technician', 'official'] as const) {
        const r = await envelope(await call(as[role]));
        if (route.roles.includes(role)) {
          assert.ok(!DENIED.includes(r.reason ?? '') && r.status !== 401 && r.status < 500, `${name}: ${role} is allowed, got ${r.status} ${r.reason ?? ''}`);
        } else {
          assert.equal(r.status, 403, `${name}: ${role} is refused`);
          assert.equal(r.reason, 'forbidden-role');
        }
      }
    });
  }
});
