import assert from 'node:assert/strict';
import { UserStore, type Role } from '../../../hub/auth/index.js';
import { seedFixtures, startTestHub, type TestHub } from '../../support/index.js';

export const HUB_ID = 'kayes-demo';
export const PASSWORDS = {
  technician: 'tech-password-1',
  facilitator: 'facil-password-1',
  voice: 'voice-password-1',
  official: 'official-password-1',
} as const;
export const USERS = { technician: 'tech', facilitator: 'awa', voice: 'fanta', official: 'mairesse' } as const;

/** A test hub with the fixture content and one account of each role. */
export async function startConsoleHub(overrides: Record<string, unknown> = {}): Promise<TestHub> {
  const hub = await startTestHub({ hubId: HUB_ID, ...overrides });
  await seedFixtures(hub);
  const users = new UserStore(hub.dataDir);
  for (const role of ['technician', 'facilitator', 'voice', 'official'] as const) await users.add(USERS[role], role, PASSWORDS[role]);
  return hub;
}

/**
 * A console refusal: the HTML page in French the console answers with (its reason in the
 * alert's data-reason), after checking it is such a page and not the API's JSON.
 */
export async function refusal(res: Response): Promise<{ status: number; reason?: string; location: string | null; text: string }> {
  const text = await res.text();
  const location = res.headers.get('location');
  if (res.status < 400) return { status: res.status, location, text };
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, `a console error is a page, not ${text.slice(0, 80)}`);
  assert.ok(!text.includes('{"'), 'no JSON on the page');
  const reason = /<p class="error" role="alert" data-reason="([^"]+)">/.exec(text)?.[1];
  return { status: res.status, reason, location, text };
}

/** A submission as a phone sends it (POST /api/v1/submissions/:type); its id. */
export async function submit(hub: TestHub, type: string, body: unknown): Promise<string> {
  const res = await fetch(`${hub.url}/api/v1/submissions/${type}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { id: string }).id;
}

/** A logged-in browser-like client: keeps the session cookie and the session's CSRF token. */
export interface Client {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  /** POSTs a form with the session's CSRF token (unless `csrf: null`). */
  post(path: string, form?: Record<string, string>, opts?: { csrf?: string | null }): Promise<Response>;
  /** POSTs multipart/form-data (file uploads) with the session's CSRF token. */
  upload(path: string, file?: { name: string; bytes: Uint8Array<ArrayBuffer> }): Promise<Response>;
}

function cookieFrom(res: Response, name: string): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
}

export function csrfIn(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no CSRF field in the page');
  return m[1]!;
}

export function client(base: string, cookie = '', csrf = ''): Client {
  const c: Client = {
    cookie,
    csrf,
    get: (path) => fetch(base + path, { redirect: 'manual', headers: c.cookie ? { cookie: c.cookie } : {} }),
    post: (path, form = {}, opts = {}) => {
      const token = opts.csrf === undefined ? c.csrf : opts.csrf;
      const body = new URLSearchParams({ ...(token !== null ? { _csrf: token } : {}), ...form });
      return fetch(base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(c.cookie ? { cookie: c.cookie } : {}) },
        body,
      });
    },
    upload: (path, file) => {
      const body = new FormData();
      body.set('_csrf', c.csrf);
      if (file) body.set('file', new Blob([file.bytes]), file.name);
      return fetch(base + path, { method: 'POST', redirect: 'manual', headers: c.cookie ? { cookie: c.cookie } : {}, body });
    },
  };
  return c;
}

/** The login form's POST, with its own token and cookie, as a browser sends it. */
export async function attemptLogin(base: string, username: string, password: string, consolePath = '/admin'): Promise<Response> {
  const form = await fetch(`${base}${consolePath}/login`, { redirect: 'manual' });
  const token = cookieFrom(form, 'espace_login_csrf')!;
  const body = new URLSearchParams({ _csrf: csrfIn(await form.text()), username, password, next: consolePath });
  return fetch(`${base}${consolePath}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `espace_login_csrf=${token}` },
    body,
  });
}

export async function login(base: string, role: Role): Promise<Client> {
  const res = await attemptLogin(base, USERS[role], PASSWORDS[role]);
  if (res.status !== 303) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
  const session = cookieFrom(res, 'espace_session')!;
  const c = client(base, `espace_session=${session}`);
  // A studio volunteer's console is the studio.
  const home = await c.get(role === 'voice' ? '/admin/studio' : role === 'official' ? '/admin/proposals' : '/admin');
  c.csrf = csrfIn(await home.text());
  return c;
}

export { cookieFrom };

type Answer = { status: number; body: string; headers: import('node:http').IncomingHttpHeaders };

function sendFrom(base: string, localAddress: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return import('node:http').then(
    ({ request }) =>
      new Promise<Answer>((resolve, reject) => {
        const req = request(base + path, { method, headers, localAddress }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
        });
        req.on('error', reject);
        req.end(body);
      })
  );
}

/**
 * A login form fetched from a given loopback address (127.0.0.2, 127.0.0.3… are all this
 * machine, as other phones on the Wi-Fi), and the function that posts it: forms can be
 * fetched first and posted all at once.
 */
export async function loginFormFrom(base: string, localAddress: string): Promise<(username: string, password: string) => Promise<Answer>> {
  const form = await sendFrom(base, localAddress, 'GET', '/admin/login', {});
  const token = /espace_login_csrf=([^;]*)/.exec(String(form.headers['set-cookie']))![1]!;
  const csrf = csrfIn(form.body);
  return (username, password) =>
    sendFrom(
      base,
      localAddress,
      'POST',
      '/admin/login',
      { 'content-type': 'application/x-www-form-urlencoded', cookie: `espace_login_csrf=${token}` },
      new URLSearchParams({ _csrf: csrf, username, password, next: '/admin' }).toString()
    );
}

export async function attemptLoginFrom(base: string, localAddress: string, username: string, password: string): Promise<Answer> {
  return (await loginFormFrom(base, localAddress))(username, password);
}
