import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { projectRoot } from '../../hub/config/index.js';
import { freePort, hubNode, spawnHub, stopChild } from '../support/hub.js';
import { generateDocs } from './generate.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { load, round, type LoadResult } from './load.js';
import { rssMB } from './processes.js';
import type { Report } from './report.js';
import { spawn, type ChildProcess } from 'node:child_process';

const PIN = ['taskset', '-c', String(PI_LIMITS.cpu)];
const COOKIE = { cookie: 'lang=fr' };

/** A peer server started by the bench, pinned to the hub's core; stopped with SIGTERM. */
export interface Peer {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startPinned(name: string, cmd: string, args: string[], url: string, wrap?: Wrap): Peer {
  const pinned: [string, string[]] = [PIN[0]!, [...PIN.slice(1), cmd, ...args]];
  const [bin, argv] = wrap ? wrap(...pinned) : pinned;
  const child = spawn(bin, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  child.once('exit', (code) => {
    if (code) process.stderr.write(`${name} exited with ${code}: ${stderr}\n`);
  });
  return {
    name,
    url,
    child,
    stop: () => stopChild(child),
  };
}

async function waitFor(url: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a command inside a CPU quota (cpu-quota.ts). */
type Wrap = (cmd: string, args: string[]) => [string, string[]];

/** nginx-light serving `root` as static files: the practical limit for the same bytes. */
export async function startNginx(dir: string, root: string, wrap?: Wrap): Promise<Peer> {
  const port = await freePort();
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; application/json json; video/mp4 mp4; image/png png; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`
  );
  const peer = startPinned(
    'nginx',
    'nginx',
    ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    `http://127.0.0.1:${port}`,
    wrap
  );
  await waitFor(`${peer.url}/`);
  return peer;
}

/** A 48×48 PNG (zimwriterfs requires an illustration). */
function png48(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(48, 0);
  ihdr.writeUInt32BE(48, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = Buffer.alloc(48 * (1 + 48 * 3), 0x80);
  for (let y = 0; y < 48; y += 1) rows[y * (1 + 48 * 3)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** kiwix-serve serving the same pages packed into a ZIM by zimwriterfs. */
async function startKiwix(dir: string, pages: Record<string, Buffer>): Promise<{ peer: Peer; pathOf(slug: string): string }> {
  const src = join(dir, 'zim-src');
  mkdirSync(src, { recursive: true });
  for (const [slug, body] of Object.entries(pages)) writeFileSync(join(src, `${slug}.html`), body);
  writeFileSync(join(src, 'illustration.png'), png48());
  const first = Object.keys(pages)[0]!;
  const zim = join(dir, 'espace.zim');
  execFileSync(
    'zimwriterfs',
    [
      '-w',
      `${first}.html`,
      '-I',
      'illustration.png',
      '-l',
      'fra',
      '-t',
      'Espace',
      '-d',
      'bench',
      '-c',
      'Espace',
      '-p',
      'Espace',
      '-n',
      'espace',
      '-j',
      src,
      zim,
    ],
    { stdio: 'ignore' }
  );
  const port = await freePort();
  const peer = startPinned('kiwix-serve', 'kiwix-serve', ['--address', '127.0.0.1', '--port', String(port), '--threads', '4', zim], `http://127.0.0.1:${port}`);
  await waitFor(`${peer.url}/`);
  // kiwix-tools 3.x serves /content/<book>/<path>; older ones /<book>/A/<path>.
  for (const base of ['/content/espace/', '/espace/A/', '/espace/']) {
    const res = await fetch(`${peer.url}${base}${first}.html`, { redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status === 200) return { peer, pathOf: (slug) => `${base}${slug}.html` };
  }
  await peer.stop();
  throw new Error('kiwix-serve does not serve the pages under any known path');
}

/** pouchdb-server with the same documents, read through its plain CouchDB API. */
async function startPouchdbServer(dir: string, docs: Record<string, unknown>[]): Promise<Peer> {
  const port = await freePort();
  const data = join(dir, 'pouchdb-server');
  mkdirSync(data, { recursive: true });
  const bin = join(projectRoot(), 'node_modules/pouchdb-server/bin/pouchdb-server');
  const peer = startPinned(
    'pouchdb-server',
    hubNode(),
    [
      `--max-old-space-size=${PI_LIMITS.heapMB}`,
      bin,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--dir',
      data,
      '--config',
      join(data, 'config.json'),
      '-n',
    ],
    `http://127.0.0.1:${port}`
  );
  await waitFor(`${peer.url}/`);
  await fetch(`${peer.url}/content`, { method: 'PUT' });
  for (let i = 0; i < docs.length; i += 1000) {
    const res = await fetch(`${peer.url}/content/_bulk_docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ docs: docs.slice(i, i + 1000) }),
    });
    if (res.status !== 201) throw new Error(`pouchdb-server refused the docs: ${res.status}`);
    await res.arrayBuffer();
  }
  return peer;
}

export async function fetchBytes(url: string, headers: Record<string, string> = {}): Promise<{ body: Buffer; status: number }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Issue 8, point 2: the hub's portal pages, API reads and media against nginx (the same bytes
 * as static files), kiwix-serve (the same pages in a ZIM) and pouchdb-server (the same
 * documents over the CouchDB API); every server pinned to the same core.
 */
export async function benchPeers(report: Report, opts: { seconds: number; connections: number; docs: number; mediaMB: number }): Promise<void> {
  const section = 'peers';
  const { dir, mediaSha } = await prepareDataDir(opts.docs, opts.mediaMB * 1024 * 1024);
  const peers: Peer[] = [];
  const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_SEED_DEMO: 'true', ESPACE_SUBMISSIONS_PER_MINUTE: '1000000' }, { pin: PI_LIMITS });
  try {
    // nginx's workers drop root for nobody: the temp dir (0700) must be readable to them.
    chmodSync(dir.path, 0o755);
    const www = join(dir.path, 'www');
    mkdirSync(join(www, 'p'), { recursive: true });
    mkdirSync(join(www, 'api'), { recursive: true });
    mkdirSync(join(www, 'media'), { recursive: true });
    const pagePaths: Record<string, string> = { accueil: '/', apprendre: '/apprendre', sinformer: '/sinformer', elus: '/elus' };
    const pages: Record<string, Buffer> = {};
    for (const [slug, path] of Object.entries(pagePaths)) {
      const r = await fetchBytes(`${hub.url}${path}`, COOKIE);
      if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
      pages[slug] = r.body;
      writeFileSync(join(www, 'p', `${slug}.html`), r.body);
    }
    const apiPaths: Record<string, string> = { list: '/api/v1/content?type=official&limit=20', item: '/api/v1/content/document:gen-0' };
    for (const [slug, path] of Object.entries(apiPaths)) writeFileSync(join(www, 'api', `${slug}.json`), (await fetchBytes(`${hub.url}${path}`)).body);
    writeFileSync(join(www, 'media', 'video.mp4'), (await fetchBytes(`${hub.url}/media/${mediaSha}`)).body);

    const nginx = await startNginx(join(dir.path, 'nginx'), www);
    peers.push(nginx);
    const kiwix = await startKiwix(join(dir.path, 'kiwix'), pages);
    peers.push(kiwix.peer);
    const pouch = await startPouchdbServer(dir.path, generateDocs(opts.docs));
    peers.push(pouch);

    const run = (url: string, headers?: Record<string, string>) => load(url, { connections: opts.connections, seconds: opts.seconds, headers });
    const row = (metric: string, ours: LoadResult, base: LoadResult, peer: string, want?: number) => {
      const ratio = round(ours.requestsPerSec / base.requestsPerSec);
      report.add({
        section,
        metric: `${metric} vs ${peer} (${opts.connections} conn)`,
        value: ours.requestsPerSec,
        unit: 'req/s',
        baseline: base.requestsPerSec,
        ratio,
        budget: want ? `≥ ${want}× ${peer}` : undefined,
        ok: want ? ratio >= want : undefined,
      });
      report.add({ section, metric: `${metric} p95 hub / ${peer}`, value: ours.p95, unit: 'ms', baseline: base.p95 });
      const errs = ours.errors + ours.non2xx;
      if (errs + base.errors + base.non2xx > 0)
        report.add({ section, metric: `${metric} errors hub / ${peer}`, value: errs, baseline: base.errors + base.non2xx });
    };

    // A second of load on each first: JIT and caches warm, as on a hub that has been up a while.
    for (const path of Object.values(pagePaths)) await load(`${hub.url}${path}`, { connections: opts.connections, seconds: 1, headers: COOKIE });
    for (const [slug, path] of Object.entries(pagePaths)) {
      const ours = await run(`${hub.url}${path}`, COOKIE);
      row(`page ${path} (${Math.round(pages[slug]!.length / 1024)} KB)`, ours, await run(`${nginx.url}/p/${slug}.html`), 'nginx', 0.5);
      row(`page ${path}`, ours, await run(`${kiwix.peer.url}${kiwix.pathOf(slug)}`), 'kiwix-serve', 2);
    }
    const list = await run(`${hub.url}${apiPaths.list}`);
    row('API list of 20 officials', list, await run(`${nginx.url}/api/list.json`), 'nginx');
    row(
      'API list of 20 officials',
      list,
      await run(`${pouch.url}/content/_all_docs?include_docs=true&limit=20&startkey=%22official%3A%22&endkey=%22official%3A%EF%BF%B0%22`),
      'pouchdb-server',
      1
    );
    const item = await run(`${hub.url}${apiPaths.item}`);
    row('API one document', item, await run(`${nginx.url}/api/item.json`), 'nginx');
    row('API one document', item, await run(`${pouch.url}/content/document:gen-0`), 'pouchdb-server', 1);
    row(
      'CouchDB API /db/content/:id',
      await run(`${hub.url}/db/content/document:gen-0`),
      await run(`${pouch.url}/content/document:gen-0`),
      'pouchdb-server',
      1
    );

    const mid = Math.floor((opts.mediaMB * 1024 * 1024) / 2);
    const range = { range: `bytes=${mid}-${mid + 65535}` };
    row(
      `media Range 64 KB of a ${opts.mediaMB} MB video`,
      await run(`${hub.url}/media/${mediaSha}`, range),
      await run(`${nginx.url}/media/video.mp4`, range),
      'nginx',
      0.9
    );
    // A whole video, as a phone downloading it to take home: one download at a time, MB/s.
    const whole = async (url: string) => {
      const t = performance.now();
      let bytes = 0;
      for (let i = 0; i < 3; i += 1) bytes += (await fetchBytes(url)).body.length;
      return round(bytes / 1048576 / ((performance.now() - t) / 1000), 1);
    };
    const oursMBs = await whole(`${hub.url}/media/${mediaSha}`);
    const nginxMBs = await whole(`${nginx.url}/media/video.mp4`);
    const ratio = round(oursMBs / nginxMBs);
    report.add({
      section,
      metric: `media whole ${opts.mediaMB} MB video, one download at a time, vs nginx`,
      value: oursMBs,
      unit: 'MB/s',
      baseline: nginxMBs,
      ratio,
      budget: '≥ 0.9× nginx',
      ok: ratio >= 0.9,
    });

    report.add({
      section,
      metric: 'resident memory after the peer runs: hub / pouchdb-server',
      value: rssMB(hub.child.pid!),
      unit: 'MB',
      baseline: rssMB(pouch.child.pid!),
    });
  } finally {
    for (const p of peers) await p.stop();
    await hub.stop();
    dir.remove();
  }
}
