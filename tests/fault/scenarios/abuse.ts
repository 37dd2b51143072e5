import { ADMIN_ROUTES } from '../../../hub/admin/index.js';
import { postRegistration, send } from './http.js';
import type { FaultTally } from './tally.js';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10 : NaN;
}

export interface FloodResult {
  flooder: { sent: number; accepted: number; limited: number };
  visitor: { submissionsAccepted: number; submissionsSent: number; readsOk: number; readsSent: number; p95QuietMs: number; p95FloodMs: number };
}

/** One visitor reading the portal and API, one request at a time, from its own address. */
async function visit(base: string, from: string, n: number): Promise<{ ok: number; times: number[] }> {
  const paths = ['/', '/api/v1/content?type=official&limit=20', '/api/v1/search?q=budget', '/health'];
  const times: number[] = [];
  let ok = 0;
  for (let i = 0; i < n; i += 1) {
    const t = performance.now();
    const res = await send(base, paths[i % paths.length]!, { localAddress: from });
    times.push(performance.now() - t);
    if (res.status < 400) ok += 1;
  }
  return { ok, times };
}

/**
 * A phone (127.0.0.2) floods submissions from `workers` connections while another (127.0.0.3)
 * reads and submits: the flooder is limited to its quota, the visitor is served in full.
 * The hub must run with its real per-minute limit.
 */
export async function flood(tally: FaultTally, base: string, opts: { floodMs: number; workers: number; visitorRequests: number }): Promise<FloodResult> {
  const quiet = await visit(base, '127.0.0.3', opts.visitorRequests);
  const flooder = { sent: 0, accepted: 0, limited: 0 };
  let flooding = true;
  const loops = Array.from({ length: opts.workers }, async () => {
    while (flooding) {
      const res = await postRegistration(base, flooder.sent, '127.0.0.2').catch(() => null);
      flooder.sent += 1;
      if (res?.status === 201) flooder.accepted += 1;
      else if (res?.status === 429) flooder.limited += 1;
      else if (res && res.status >= 500) {
        tally.fiveXX += 1;
        tally.problem(`flood: submission answered ${res.status}`);
      }
    }
  });
  tally.faultsInjected += 1;
  await new Promise((r) => setTimeout(r, 200));
  const during = await visit(base, '127.0.0.3', opts.visitorRequests);
  let visitorAccepted = 0;
  for (let i = 0; i < 3; i += 1) if ((await postRegistration(base, 900_000 + i, '127.0.0.3')).status === 201) visitorAccepted += 1;
  const left = opts.floodMs - 200;
  if (left > 0) await new Promise((r) => setTimeout(r, left));
  flooding = false;
  await Promise.all(loops);
  return {
    flooder,
    visitor: {
      submissionsAccepted: visitorAccepted,
      submissionsSent: 3,
      readsOk: during.ok,
      readsSent: opts.visitorRequests,
      p95QuietMs: percentile(quiet.times, 95),
      p95FloodMs: percentile(during.times, 95),
    },
  };
}

export interface HostResult {
  path: string;
  host: string;
  status: number;
  location: string;
}

/** Names that are not the hub's: never served a page, never echoed back in a redirect. */
export async function forgedHosts(tally: FaultTally, base: string): Promise<HostResult[]> {
  const hosts = ['evil.example', 'espace.home.arpa.evil.example', 'evil.example:8080', 'localhost.evil.example', 'xn--80ak6aa92e.com'];
  const out: HostResult[] = [];
  for (const host of hosts) {
    for (const path of ['/', '/admin', '/admin/login', '/inscription', '/kiosk']) {
      const res = await send(base, path, { headers: { host } });
      tally.requestsFuzzed += 1;
      if (res.status >= 500) tally.fiveXX += 1;
      out.push({ path, host, status: res.status, location: String(res.headers.location ?? '') });
    }
  }
  return out;
}

export interface AdminProbe {
  method: string;
  path: string;
  cookie: string;
  status: number;
  location: string;
}

/** Every console route without a session, and with forged session cookies: never a page, never a change. */
export async function adminWithoutSession(tally: FaultTally, base: string): Promise<AdminProbe[]> {
  const cookies = ['', 'espace_session=forged', `espace_session=${'a'.repeat(64)}`, 'espace_session=../../etc/passwd', 'espace_session=; espace_session=x'];
  const out: AdminProbe[] = [];
  for (const route of ADMIN_ROUTES) {
    if (route.roles === 'public') continue;
    const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(route.example?.[name] ?? 'x'));
    for (const cookie of cookies) {
      const res = await send(base, path, {
        method: route.method,
        headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' },
        body: route.method === 'POST' ? 'role=technician&username=intrus&password=intrus-password-123' : undefined,
      });
      tally.requestsFuzzed += 1;
      if (res.status >= 500) tally.fiveXX += 1;
      out.push({ method: route.method, path, cookie, status: res.status, location: String(res.headers.location ?? '') });
    }
  }
  return out;
}
