import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { CALIBRATION_SCRIPT, makeCpuQuota, PI_SHARE, type CpuQuota } from './cpu-quota.js';
import { fsyncFloorMs } from './fsync-floor.js';
import { load, round } from './load.js';
import { mediaFrontRows } from './media-front.js';
import { fetchBytes, startNginx } from './peers.js';
import { crowdOf200, phones } from './phones.js';
import { cpuMs, rssMB } from './processes.js';
import type { Report } from './report.js';
import { hubNode, spawnHub, tempDir } from '../support/hub.js';
import { projectRoot } from '../../hub/config/index.js';
import { startToFirstSearch } from './startup.js';

const MEDIA_BYTES = 8 * 1024 * 1024;
// With the front's flag: the hub alone still sends the bytes (only the front's requests are redirected).
const HUB_ENV = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '100000000', ESPACE_MEDIA_FRONT: 'true' };
const REGISTRATION = JSON.stringify({ fullName: 'Fatoumata Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true });

/** Runs the calibration workload under a limit; its own figure in ms. */
async function calibrate(wrap?: CpuQuota['wrap']): Promise<number> {
  const bare: [string, string[]] = ['taskset', ['-c', String(PI_LIMITS.cpu), hubNode(), '-e', CALIBRATION_SCRIPT]];
  const [cmd, args] = wrap ? wrap(...bare) : bare;
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    child.stdout.on('data', (c: Buffer) => (s += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`calibration exited with ${code}`))));
  });
  return round(Number(out.split(' ')[0]), 0);
}

/**
 * Issue 18: the same hub at pinned speed (one core of this machine) and at "Pi speed" (that
 * core under a CPU quota), side by side: 200 phones in an open loop, registrations at 50
 * connections, start-up to the first search with the index on disk, resident memory.
 */
export async function benchPiSpeed(report: Report, opts: { docs: number; seconds: number }): Promise<void> {
  const section = 'pi';
  const quota = makeCpuQuota();
  if ('unavailable' in quota) {
    report.add({ section, metric: 'Pi-speed runs', value: `not run: ${quota.unavailable}` });
    return;
  }
  report.limits.piSpeed = quota.describe;
  const { dir: prepared, mediaSha } = await prepareDataDir(opts.docs, MEDIA_BYTES);
  try {
    const pinnedMs = await calibrate();
    const piMs = await calibrate(quota.wrap);
    report.add({
      section,
      metric: `calibration workload: pinned / under the quota (share ${PI_SHARE})`,
      value: `${pinnedMs} / ${piMs}`,
      unit: 'ms',
      baseline: `pinned ${pinnedMs}`,
      ratio: round(pinnedMs / piMs),
    });
    // Registrations' floor: one group commit's fsync at a time (see fsync-floor.ts).
    const fsyncMs = await fsyncFloorMs(50);
    report.add({
      section,
      metric: 'registrations floor: fsync of one group commit of 50, median (ceiling at 50 connections)',
      value: `${fsyncMs} ms (${Math.round((50 * 1000) / fsyncMs)}/s)`,
    });
    for (const [mode, wrap] of [
      ['pinned', undefined],
      ['Pi speed', quota.wrap],
    ] as const) {
      // Each mode from the same data: the pinned floods' registrations (some 75 000) would
      // otherwise be read again by the Pi-speed hub's start (the SMS room's directory reads
      // every submission), still busy a minute later under the quota.
      const dir = tempDir('espace-bench-pi-');
      cpSync(prepared.path, dir.path, { recursive: true });
      // nginx's workers drop root for nobody: the temp dir (0700) must be readable to them.
      chmodSync(dir.path, 0o755);
      // A first start writes the search index; the measured start reads it back, searched as
      // soon as its port accepts (startup.ts: the hub answers searches before it has fully started).
      // The first start runs until everything serves: stopped at its port, it could leave the
      // index unwritten, and the measured start would rebuild it.
      await startToFirstSearch(projectRoot(), dir.path);
      const first = await startToFirstSearch(projectRoot(), dir.path, wrap);
      const firstSearch = round(first.searchMs, 0);
      report.add({
        section,
        metric: `${mode}: start-up to first search (${opts.docs} docs, index on disk; CPU by then ${round(first.cpuMs, 0)} ms, everything serving at ${round(first.readyMs, 0)} ms)`,
        value: firstSearch,
        unit: 'ms',
        budget: '< 1000 ms',
        ok: firstSearch < 1000,
      });
      const hub = await spawnHub(dir.path, HUB_ENV, { pin: PI_LIMITS, wrap });
      try {
        const cpuBefore = cpuMs(hub.child.pid!);
        const crowd = await phones(hub.url, crowdOf200(opts.seconds * 3, REGISTRATION));
        report.add({
          section,
          metric: `${mode}: 200 phones, open loop (${crowd.perSecond} req/s, ${crowd.pageViews} views) p50 / p95 / p99`,
          value: `${crowd.p50} / ${crowd.p95} / ${crowd.p99}`,
          unit: 'ms',
          budget: 'p95 < 100 ms',
          ok: crowd.p95 < 100,
        });
        // The hub's own CPU for the same load: steadier than latency on a shared machine.
        const cpu = round(cpuMs(hub.child.pid!) - cpuBefore, 0);
        report.add({
          section,
          metric: `${mode}: 200 phones, hub CPU time (${crowd.requests} requests; per request)`,
          value: `${cpu} ms; ${round(cpu / crowd.requests, 2)} ms`,
        });
        report.add({ section, metric: `${mode}: 200 phones, a whole page view (page + new assets) p95`, value: crowd.viewP95, unit: 'ms' });
        report.add({
          section,
          metric: `${mode}: 200 phones, p95 of pages / static files / registrations`,
          value: `${crowd.p95By.page} / ${crowd.p95By.static} / ${crowd.p95By.submission}`,
          unit: 'ms',
        });
        if (crowd.errors > 0 || Object.keys(crowd.statuses).length > 0)
          report.add({ section, metric: `${mode}: 200 phones, errors / statuses ≥ 400`, value: `${crowd.errors} / ${JSON.stringify(crowd.statuses)}` });
        const flood = () =>
          load(`${hub.url}/api/v1/submissions/registration`, {
            connections: 50,
            seconds: opts.seconds,
            requests: [{ method: 'POST', path: '/api/v1/submissions/registration', headers: { 'content-type': 'application/json' }, body: REGISTRATION }],
          });
        // A first round warms V8 up: the phones' few registrations leave most of their path to
        // compile, and at Pi speed TurboFan's threads share the quota (about 400 of a first
        // 5-s round's 1 250 ms of CPU). A hub in the field has compiled it long before a burst.
        const cold0 = cpuMs(hub.child.pid!);
        const cold = await flood();
        const coldCpu = cpuMs(hub.child.pid!) - cold0;
        report.add({
          section,
          metric: `${mode}: registrations, first round while V8 compiles (req/s; p95 ms; hub CPU per registration ${round(coldCpu / Math.max(1, cold.requests), 2)} ms)`,
          value: `${cold.requestsPerSec}; ${cold.p95}`,
        });
        // Resident memory after the same load as the memory section's (phones, one flood): the
        // second flood's requests wait for their fsync and are promoted, and V8 hands that
        // memory back only some seconds after (tests/bench/README.md, "memory").
        const rss = rssMB(hub.child.pid!);
        // The hub's CPU per registration, and the load generator's own (this process, outside
        // the quota): near a whole core it, not the hub, would be the limit.
        const regsCpu0 = cpuMs(hub.child.pid!);
        const gen0 = process.cpuUsage();
        const regs = await flood();
        const regsCpu = cpuMs(hub.child.pid!) - regsCpu0;
        const gen = process.cpuUsage(gen0);
        report.add({
          section,
          metric: `${mode}: registrations at 50 connections (req/s; p95 ms; hub CPU per registration ${round(regsCpu / Math.max(1, regs.requests), 2)} ms, load generator ${round((gen.user + gen.system) / 10 / (opts.seconds * 1000), 0)} % of a core)`,
          value: `${regs.requestsPerSec}; ${regs.p95}`,
          budget: '≥ 1000/s, p95 < 100 ms',
          ok: regs.requestsPerSec >= 1000 && regs.p95 < 100,
        });
        report.add({
          section,
          metric: `${mode}: resident memory after load (${opts.docs} docs; phones and one flood; after the second ${rssMB(hub.child.pid!)} MB)`,
          value: rss,
          unit: 'MB',
          budget: '< 120 MB',
          ok: rss < 120,
        });
        await beside(report, section, mode, hub.url, mediaSha, join(dir.path, `nginx-${mode.replace(' ', '-')}`), wrap);
        const front = { url: hub.url, port: hub.port, dataDir: dir.path, pid: hub.child.pid! };
        await mediaFrontRows(report, section, mode, front, mediaSha, join(dir.path, `front-${mode.replace(' ', '-')}`), wrap ? quota : undefined);
      } finally {
        await hub.stop();
        dir.remove();
      }
    }
  } finally {
    quota.remove();
    prepared.remove();
  }
}

/**
 * The same bytes from nginx under the same limit, in the same run: the portal's home page
 * (a static copy) and 64 KB ranges of a video, 50 connections each.
 */
async function beside(report: Report, section: string, mode: string, hubUrl: string, sha: string, dir: string, wrap?: CpuQuota['wrap']): Promise<void> {
  const www = join(dir, 'www');
  mkdirSync(join(www, 'media'), { recursive: true });
  const cookie = { cookie: 'lang=fr' };
  writeFileSync(join(www, 'index.html'), (await fetchBytes(`${hubUrl}/`, cookie)).body);
  writeFileSync(join(www, 'media', 'video.mp4'), (await fetchBytes(`${hubUrl}/media/${sha}`)).body);
  const nginx = await startNginx(dir, www, wrap);
  try {
    const mid = MEDIA_BYTES / 2;
    const cases: [string, string, string, Record<string, string>][] = [
      ['portal page /', `${hubUrl}/`, `${nginx.url}/index.html`, cookie],
      [
        `media Range 64 KB of a ${MEDIA_BYTES / 1048576} MB video`,
        `${hubUrl}/media/${sha}`,
        `${nginx.url}/media/video.mp4`,
        { range: `bytes=${mid}-${mid + 65535}` },
      ],
    ];
    for (const [what, ours, theirs, headers] of cases) {
      const run = (url: string) => load(url, { connections: 50, seconds: 3, headers });
      const [a, b] = [await run(ours), await run(theirs)];
      report.add({
        section,
        metric: `${mode}: ${what} vs nginx (50 conn; p95 hub / nginx ${a.p95} / ${b.p95} ms)`,
        value: a.requestsPerSec,
        unit: 'req/s',
        baseline: b.requestsPerSec,
        ratio: round(a.requestsPerSec / b.requestsPerSec),
      });
    }
  } finally {
    await nginx.stop();
  }
}
