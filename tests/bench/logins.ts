import { request } from 'node:http';
import { UserStore } from '../../hub/auth/index.js';
import { spawnHub } from '../support/hub.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { load, round } from './load.js';
import type { Report } from './report.js';

interface Answer {
  status: number;
  body: string;
  cookie?: string;
}

function send(base: string, localAddress: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers, localAddress, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, cookie: String(res.headers['set-cookie'] ?? '') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A phone at `localAddress` with the login form's token: posts logins as a browser would. */
async function loginClient(base: string, localAddress: string): Promise<(username: string, password: string) => Promise<number>> {
  const form = await send(base, localAddress, 'GET', '/admin/login', {});
  const token = /espace_login_csrf=([^;]*)/.exec(form.cookie ?? '')![1]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  return async (username, password) =>
    (
      await send(
        base,
        localAddress,
        'POST',
        '/admin/login',
        { 'content-type': 'application/x-www-form-urlencoded', cookie: `espace_login_csrf=${token}` },
        new URLSearchParams({ _csrf: csrf, username, password, next: '/admin' }).toString()
      )
    ).status;
}

const registration = JSON.stringify({ fullName: 'Awa Bench', sex: 'F', ageBand: '25-35', commune: 'kayes', consent: true });

/**
 * Issue 20: how many console logins a second the hub checks (scrypt, one at a time), and what
 * the other clients — phones submitting and reading — feel while 200 logins keep arriving at
 * once from 200 addresses. The hub runs pinned to one core with a capped heap.
 */
export async function benchLogins(report: Report, opts: { seconds: number }): Promise<void> {
  const section = 'logins';
  const { dir } = await prepareDataDir(1000, 64 * 1024);
  await new UserStore(dir.path).add('awa', 'facilitator', 'bench-password-1');
  const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '1000000' }, { pin: PI_LIMITS });
  try {
    // Right passwords, four at a time from four addresses: what the hash queue lets through.
    const clients = await Promise.all([1, 2, 3, 4].map((i) => loginClient(hub.url, `127.0.1.${i}`)));
    let ok = 0;
    let busy = 0;
    const until = performance.now() + opts.seconds * 1000;
    await Promise.all(
      clients.map(async (post) => {
        while (performance.now() < until) {
          const status = await post('awa', 'bench-password-1');
          if (status === 303) ok += 1;
          else if (status === 429) busy += 1;
        }
      })
    );
    report.add({ section, metric: 'logins checked per second (right password, 4 at once)', value: round(ok / opts.seconds, 1), unit: '/s' });
    report.add({ section, metric: 'of those, answered 429 (hash queue full)', value: busy });

    const phones = { connections: 10, seconds: opts.seconds };
    const submit = { method: 'POST' as const, path: '/api/v1/submissions/registration', headers: { 'content-type': 'application/json' }, body: registration };
    const quietSubmit = await load(hub.url, { ...phones, requests: [submit] });
    const quietRead = await load(`${hub.url}/api/v1/content/document:gen-1`, phones);
    report.add({ section, metric: 'phones: submission p95, no logins', value: quietSubmit.p95, unit: 'ms' });
    report.add({ section, metric: 'phones: content read p95, no logins', value: quietRead.p95, unit: 'ms' });

    // 200 wrong logins in flight all the time, each from an address of its own (no per-address limit helps).
    const flooders = await Promise.all(Array.from({ length: 200 }, (_, i) => loginClient(hub.url, `127.0.2.${i + 1}`)));
    let stop = false;
    const flood = { sent: 0, refused: 0, checked: 0 };
    const t0 = performance.now();
    const running = flooders.map(async (post, i) => {
      while (!stop) {
        const status = await post(`guess${i}`, 'wrong-password');
        flood.sent += 1;
        if (status === 429) flood.refused += 1;
        else if (status === 401) flood.checked += 1;
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    const floodSubmit = await load(hub.url, { ...phones, requests: [submit] });
    const floodRead = await load(`${hub.url}/api/v1/content/document:gen-1`, phones);
    stop = true;
    await Promise.all(running);
    const floodSeconds = (performance.now() - t0) / 1000;
    report.add({
      section,
      metric: 'phones: submission p95 during 200 simultaneous logins',
      value: floodSubmit.p95,
      unit: 'ms',
      baseline: quietSubmit.p95,
      ratio: round(floodSubmit.p95 / quietSubmit.p95),
    });
    report.add({
      section,
      metric: 'phones: content read p95 during 200 simultaneous logins',
      value: floodRead.p95,
      unit: 'ms',
      baseline: quietRead.p95,
      ratio: round(floodRead.p95 / quietRead.p95),
    });
    report.add({ section, metric: 'flood: logins answered per second', value: round(flood.sent / floodSeconds, 1), unit: '/s' });
    report.add({ section, metric: 'flood: passwords checked per second (the rest 429)', value: round(flood.checked / floodSeconds, 1), unit: '/s' });
    report.add({ section, metric: 'flood: share refused with 429', value: `${Math.round((100 * flood.refused) / Math.max(1, flood.sent))} %` });
  } finally {
    await hub.stop();
    dir.remove();
  }
}
