import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import { TlsStore } from '../../hub/index.js';
import { freePort } from '../support/acme.js';
import { spawnHub } from '../support/hub.js';
import { issueFromCsr, testCa } from '../support/tls.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { load, round } from './load.js';
import { startPinned, type Peer } from './peers.js';
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
    socket.once('error', (e: Error) => (done ? undefined : reject(e)));
  });
}

/** Handshakes a second, `concurrency` at a time, for `seconds`; new ones, or resumed from one session. */
async function handshakesPerSecond(
  port: number,
  seconds: number,
  concurrency: number,
  opts: ConnectionOptions,
  resume: boolean
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
    })
  );
  return { perSecond: round(count / ((performance.now() - t0) / 1000), 0), reusedShare: count ? reused / count : 0 };
}

/**
 * Debian's nginx terminating TLS with the hub's own key and chain, pinned to the same core:
 * pages and the API proxied to the hub's plain HTTP (keep-alive upstream), media straight from
 * the hub's content-addressed store with sendfile. The other way a Pi could serve HTTPS.
 */
async function startNginxTls(dir: string, store: TlsStore, dataDir: string, hubPort: number): Promise<Peer> {
  const port = await freePort();
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(
    join(dir, 'nginx.conf'),
    // As root (CI), the worker reads the hub's private data dir as root too, like the hub.
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  upstream hub { server 127.0.0.1:${hubPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${store.chainPath};
    ssl_certificate_key ${store.keyPath};
    ssl_session_cache shared:tls:1m;
    location ~ "^/media/(?<p>[0-9a-f]{2})(?<rest>[0-9a-f]{62})$" { alias ${dataDir}/media/$p/$p$rest; }
    location / { proxy_pass http://hub; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; }
  }
}
`
  );
  const peer = startPinned(
    'nginx',
    'nginx',
    ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    `https://127.0.0.1:${port}`
  );
  for (let i = 0; ; i += 1) {
    if (
      await handshake(port, {}).then(
        () => true,
        () => false
      )
    )
      break;
    if (i > 100) throw new Error('nginx did not listen for HTTPS');
    await new Promise((r) => setTimeout(r, 100));
  }
  return peer;
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
    { pin: PI_LIMITS }
  );
  try {
    for (let i = 0; ; i += 1) {
      if (
        await handshake(tlsPort, {}).then(
          () => true,
          () => false
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
    // The same requests over HTTPS through nginx (Debian's, pinned to the same core).
    const nginxDir = join(dir.path, 'nginx-tls');
    const nginx = await startNginxTls(nginxDir, store, dir.path, Number(new URL(hub.url).port));
    try {
      for (const [metric, path, headers] of cases) {
        await load(`${nginx.url}${path}`, { connections: opts.connections, seconds: 1, headers });
        const viaNode = await load(`${https}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
        const viaNginx = await load(`${nginx.url}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
        report.add({
          section,
          metric: `${metric}: HTTPS by the hub itself vs by nginx${path.startsWith('/media/') ? ' (sendfile)' : ' (proxied to the hub)'}`,
          value: viaNode.requestsPerSec,
          unit: 'req/s',
          baseline: viaNginx.requestsPerSec,
          ratio: round(viaNode.requestsPerSec / viaNginx.requestsPerSec),
        });
        if (viaNginx.errors + viaNginx.non2xx) report.add({ section, metric: `${metric} errors through nginx`, value: viaNginx.errors + viaNginx.non2xx });
      }
    } finally {
      await nginx.stop();
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
