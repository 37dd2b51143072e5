import { connect, type ConnectionOptions } from 'node:tls';
import { TlsStore } from '../../hub/index.js';
import { freePort } from '../support/acme.js';
import { spawnHub } from '../support/hub.js';
import { issueFromCsr, testCa } from '../support/tls.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { load, round } from './load.js';
import type { Report } from './report.js';

const HUB = 'bench-tls';
const DOMAIN = 'hubs.espace-bench.example';
const COOKIE = { cookie: 'lang=fr' };

/** One TLS handshake to the hub; resolves with the session to resume from (TLS 1.3 sends it after). */
function handshake(port: number, opts: ConnectionOptions): Promise<{ reused: boolean; session?: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: `${HUB}.${DOMAIN}`, rejectUnauthorized: false, ...opts });
    let session: Buffer | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const reused = socket.isSessionReused();
      // TLS 1.2: the ticket came with the handshake.
      session ??= socket.getSession();
      socket.destroy();
      resolve({ reused, session });
    };
    // A hub that sends no ticket would leave a TLS 1.3 client waiting: give up on it after a second.
    const timer = setTimeout(finish, 1000);
    socket.once('close', () => clearTimeout(timer));
    socket.once('session', (s: Buffer) => {
      session = s;
      finish();
    });
    socket.once('secureConnect', () => {
      // TLS 1.2 has its ticket by now; TLS 1.3 sends it just after, with the first read.
      if (socket.getProtocol() !== 'TLSv1.3' || opts.session) finish();
    });
    socket.once('error', (e) => (done ? undefined : reject(e)));
  });
}

/** Handshakes a second, `concurrency` at a time, for `seconds`; new ones, or resumed from one session. */
async function handshakesPerSecond(
  port: number,
  seconds: number,
  concurrency: number,
  opts: ConnectionOptions,
  resume: boolean,
): Promise<{ perSecond: number; reusedShare: number }> {
  const first = await handshake(port, opts);
  if (resume && !first.session) throw new Error(`no session ticket from the hub (${opts.maxVersion ?? 'TLS 1.3'})`);
  let count = 0;
  let reused = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const r = await handshake(port, resume ? { ...opts, session: first.session } : opts);
        count += 1;
        if (r.reused) reused += 1;
      }
    }),
  );
  return { perSecond: round(count / ((performance.now() - t0) / 1000), 0), reusedShare: count ? reused / count : 0 };
}

/**
 * Issue 21: the same hub over HTTPS and over plain HTTP in one run (portal page, API read,
 * media range, keep-alive connections), and TLS handshakes a second, new (a phone joining) and
 * resumed (the same phone's next connection), in TLS 1.3 and 1.2. The hub is pinned to one
 * core with a capped heap; its certificate is ECDSA P-256 from a test CA.
 */
export async function benchTls(report: Report, opts: { seconds: number; connections: number }): Promise<void> {
  const section = 'tls';
  const { dir, mediaSha } = await prepareDataDir(1000, 8 * 1024 * 1024);
  const store = new TlsStore(dir.path, `${HUB}.${DOMAIN}`);
  store.install(await issueFromCsr(await testCa(), await store.csr()));
  const tlsPort = await freePort();
  const hub = await spawnHub(
    dir.path,
    { ESPACE_HUB_ID: HUB, ESPACE_TLS_DOMAIN: DOMAIN, ESPACE_TLS_PORT: String(tlsPort), ESPACE_LOG_LEVEL: 'warn', ESPACE_SEED_DEMO: 'true' },
    { pin: PI_LIMITS },
  );
  try {
    for (let i = 0; ; i += 1) {
      if (
        await handshake(tlsPort, {}).then(
          () => true,
          () => false,
        )
      )
        break;
      if (i > 100) throw new Error('the hub did not listen for HTTPS');
      await new Promise((r) => setTimeout(r, 100));
    }
    const https = `https://127.0.0.1:${tlsPort}`;
    const mid = 4 * 1024 * 1024;
    const cases: [string, string, Record<string, string>][] = [
      ['portal page /', '/', COOKIE],
      ['API one document', '/api/v1/content/document:gen-0', {}],
      ['media Range 64 KB of an 8 MB video', `/media/${mediaSha}`, { range: `bytes=${mid}-${mid + 65535}` }],
    ];
    for (const [, path, headers] of cases) {
      // Warm JIT and caches on both listeners first.
      await load(`${hub.url}${path}`, { connections: opts.connections, seconds: 1, headers });
      await load(`${https}${path}`, { connections: opts.connections, seconds: 1, headers });
    }
    for (const [metric, path, headers] of cases) {
      const plain = await load(`${hub.url}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
      const tls = await load(`${https}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
      const errors = tls.errors + tls.non2xx + plain.errors + plain.non2xx;
      report.add({
        section,
        metric: `${metric} over HTTPS vs plain HTTP (${opts.connections} keep-alive conn)`,
        value: tls.requestsPerSec,
        unit: 'req/s',
        baseline: plain.requestsPerSec,
        ratio: round(tls.requestsPerSec / plain.requestsPerSec),
      });
      report.add({ section, metric: `${metric} p95 HTTPS / HTTP`, value: tls.p95, unit: 'ms', baseline: plain.p95 });
      if (errors) report.add({ section, metric: `${metric} errors HTTPS / HTTP`, value: tls.errors + tls.non2xx, baseline: plain.errors + plain.non2xx });
    }
    for (const [label, version] of [
      ['TLS 1.3', {}],
      ['TLS 1.2', { maxVersion: 'TLSv1.2' as const }],
    ] as const) {
      const fresh = await handshakesPerSecond(tlsPort, opts.seconds, 16, version, false);
      const resumed = await handshakesPerSecond(tlsPort, opts.seconds, 16, version, true);
      report.add({ section, metric: `new ${label} handshakes (ECDSA P-256, 16 at once)`, value: fresh.perSecond, unit: '/s' });
      report.add({
        section,
        metric: `resumed ${label} handshakes (session ticket)`,
        value: resumed.perSecond,
        unit: '/s',
        baseline: fresh.perSecond,
        ratio: round(resumed.perSecond / fresh.perSecond),
      });
      report.add({ section, metric: `${label}: share of handshakes actually resumed`, value: `${Math.round(resumed.reusedShare * 100)} %` });
    }
  } finally {
    await hub.stop();
    dir.remove();
  }
}
