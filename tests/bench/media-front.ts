import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MEDIA_FRONT } from '../../hub/index.js';
import { startNginxFront } from '../support/index.js';
import { spawnHub } from '../support/hub.js';
import type { CpuQuota } from './cpu-quota.js';
import { makeCpuQuota } from './cpu-quota.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { load, round } from './load.js';
import { startNginx } from './peers.js';
import type { Report } from './report.js';

const MEDIA_BYTES = 8 * 1024 * 1024;
type Wrap = CpuQuota['wrap'];

/** Pinned to the hub's core, then (at Pi speed) inside the quota: nginx shares the hub's one core. */
const pinned =
  (wrap?: Wrap): Wrap =>
  (cmd, args) => {
    const p: [string, string[]] = ['taskset', ['-c', String(PI_LIMITS.cpu), cmd, ...args]];
    return wrap ? wrap(...p) : p;
  };

/** Every process of a tree: nginx's master, its worker and cache processes. */
function processTree(pid: number): number[] {
  let children: string[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch (e) {
    // pgrep says 1 when the process has no child.
    if ((e as { status?: number }).status !== 1) throw e;
  }
  return [pid, ...children.flatMap((c) => processTree(Number(c)))];
}

/**
 * The CPU time so far of processes (0 for one that exited), ms: the sum of their threads'
 * /proc/<pid>/task/<tid>/schedstat, in ns (/proc/<pid>/stat counts 10 ms ticks, too coarse
 * for an nginx that sends a file in a millisecond or two).
 */
function cpuOfAll(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    for (const tid of tasks) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch (e) {
        // A thread that ended between the listing and the read.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
  }
  return ns / 1e6;
}

interface Served {
  /** Answers (or MB) a second. */
  perSec: number;
  /** CPU time (user + system, every serving process) per answer, µs. */
  cpuUs: number;
  /** The load generator's own CPU, % of a core: near 100 it, not the server, is the limit. */
  generator: number;
  /** The servers' CPU when idle, ms a second (taken off cpuUs). */
  idle: number;
  p95?: number;
  /** The hub's own CPU per answer, µs, idle taken off (behind the front: what it still does per answer). */
  hubUs: number;
}

/** What serving processes use idle, ms per ms of wall time: all of them, and the hub alone. */
interface Idle {
  all: number;
  hub: number;
}

/**
 * What `pids` (the serving processes) use idle (the hub's timers, about 1 % of a core here;
 * nginx nothing), over a quiet second after one to settle: taken off each load's CPU, as a hub
 * runs with or without the front, and its idle work does not grow with answers.
 */
async function idleOf(pids: number[], hub?: number): Promise<Idle> {
  await new Promise((r) => setTimeout(r, 1000));
  const all0 = cpuOfAll(pids);
  const hub0 = hub ? cpuOfAll([hub]) : 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  const ms = performance.now() - t0;
  return { all: (cpuOfAll(pids) - all0) / ms, hub: hub ? (cpuOfAll([hub]) - hub0) / ms : 0 };
}

/**
 * One load against `pids` (the serving processes), checked inside the quota when there is
 * one: the CPU time the servers used per answer, on this shared machine steadier than the rate
 * and, on a Pi whose core is the limit, what the rate comes to; `idle` taken off.
 */
async function served(
  pids: number[],
  quota: CpuQuota | undefined,
  idle: Idle,
  run: () => Promise<{ answers: number; perSec: number; p95?: number }>,
  hub?: number
): Promise<Served> {
  const outside = quota ? pids.filter((pid) => !quota.holds(pid)) : [];
  if (outside.length > 0) throw new Error(`media-front: processes ${outside.join(', ')} escaped the CPU quota`);
  // A moment to settle: after a load the servers still drain sockets and collect garbage.
  await new Promise((r) => setTimeout(r, 300));
  const cpu0 = cpuOfAll(pids);
  const hub0 = hub ? cpuOfAll([hub]) : 0;
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await run();
  const wall = performance.now() - t0;
  const gen = process.cpuUsage(gen0);
  const busy = Math.max(0, cpuOfAll(pids) - cpu0 - idle.all * wall);
  const hubBusy = hub ? Math.max(0, cpuOfAll([hub]) - hub0 - idle.hub * wall) : 0;
  return {
    hubUs: round((hubBusy * 1000) / Math.max(r.answers, 1), 0),
    perSec: r.perSec,
    cpuUs: round((busy * 1000) / Math.max(r.answers, 1), 0),
    generator: Math.round((gen.user + gen.system) / 10 / wall),
    idle: round(idle.all * 1000, 0),
    p95: r.p95,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The median of each figure of several runs (the middle one of an odd number). */
function medianOf(runs: Served[]): Served {
  const of = (k: keyof Served) => median(runs.map((r) => r[k] ?? 0));
  return { perSec: of('perSec'), cpuUs: of('cpuUs'), generator: of('generator'), idle: of('idle'), p95: of('p95'), hubUs: of('hubUs') };
}

/**
 * The bench's own process (the load generator) on the cores the servers are not pinned to,
 * every thread; back to every core after. On 2 cores: servers on one, the generator on the other.
 */
async function generatorAside<T>(fn: () => Promise<T>): Promise<T> {
  const cores = availableParallelism();
  if (cores < 2) return fn();
  const others = Array.from({ length: cores }, (_, i) => i).filter((i) => i !== PI_LIMITS.cpu);
  execFileSync('taskset', ['-a', '-p', '-c', others.join(','), String(process.pid)], { stdio: 'ignore' });
  try {
    return await fn();
  } finally {
    execFileSync('taskset', ['-a', '-p', '-c', `0-${cores - 1}`, String(process.pid)], { stdio: 'ignore' });
  }
}

/**
 * Issue 18, item 5: a media file three ways in one run, under the same limit: the hub alone
 * (Node reads and writes the bytes), the hub behind the Pi's nginx front (the hub answers, nginx
 * sends the file with sendfile: provisioning's configuration), and nginx alone serving the same
 * file as a static one. 64 KB ranges (a phone's player seeking) and the whole file; ratios
 * against nginx alone. The front and the hub share one core (or one quota, every process of
 * them checked in it), as nginx alone has: the pessimistic case, as a Pi's other cores also run
 * the kiosk. The load generator runs on the other core, its CPU reported. Two ratios: the rate
 * (noisy here: the servers rarely use their whole share on this shared machine) and the CPU
 * time per answer of the serving processes, nginx alone's ÷ the front's (the rate a Pi's core
 * would reach when it is the limit).
 */
export async function mediaFrontRows(
  report: Report,
  section: string,
  mode: string,
  hub: { url: string; port: number; dataDir: string; pid: number },
  sha: string,
  dir: string,
  quota?: CpuQuota,
  opts: { seconds: number; rounds: number } = { seconds: 1, rounds: 15 }
): Promise<void> {
  const { seconds, rounds } = opts;
  const www = join(dir, 'www');
  mkdirSync(join(www, 'media'), { recursive: true });
  copyFileSync(join(hub.dataDir, 'media', sha.slice(0, 2), sha), join(www, 'media', 'video.mp4'));
  const wrap = quota?.wrap;
  const nginx = await startNginx(join(dir, 'alone'), www, wrap);
  const front = await startNginxFront(join(dir, 'front'), hub.port, hub.dataDir, pinned(wrap));
  const who = {
    alone: () => [hub.pid],
    behind: () => [...processTree(front.pid), hub.pid],
    theirs: () => processTree(nginx.child.pid!),
  };
  /** The spread of per-round ratios, for the row's text. */
  const spread = (xs: number[]) => `${round(Math.min(...xs))}–${round(Math.max(...xs))}× over ${xs.length} rounds`;
  /**
   * The rate row (nginx alone the baseline), then the CPU row: medians of `rounds` alternating
   * runs of the front and nginx alone, the ratio the median of each round's.
   */
  const rows = (what: string, unit: string, a: Served, bs: Served[], cs: Served[], detail: string) => {
    const [b, c] = [medianOf(bs), medianOf(cs)];
    const rates = bs.map((x, i) => x.perSec / cs[i]!.perSec);
    const cpus = bs.map((x, i) => cs[i]!.cpuUs / x.cpuUs);
    const rate = round(median(rates));
    const cpu = round(median(cpus));
    report.add({
      section,
      metric: `${mode}: media-front, ${what}: hub alone / hub behind nginx / nginx alone, medians (${detail}hub alone ${round(a.perSec / c.perSec)}×; front ÷ nginx ${spread(rates)})`,
      value: `${a.perSec} / ${b.perSec}`,
      unit,
      baseline: c.perSec,
      ratio: rate,
      budget: '≥ 0.9× nginx',
      ok: rate >= 0.9,
    });
    report.add({
      section,
      metric: `${mode}: media-front, ${what}: CPU µs per answer of the servers, hub alone / hub behind nginx / nginx alone, medians (nginx ÷ front ${spread(cpus)}; the hub's part behind nginx ${b.hubUs} µs, for plays it counts; idle ${a.idle} / ${b.idle} / ${c.idle} ms/s taken off; load generator ${a.generator} / ${b.generator} / ${c.generator} % of a core)`,
      value: `${a.cpuUs} / ${b.cpuUs}`,
      unit: 'µs',
      baseline: c.cpuUs,
      ratio: cpu,
      budget: '≥ 0.9× nginx',
      ok: cpu >= 0.9,
    });
  };
  /** 50 connections of autocannon, every answer a 2xx. */
  const loaded = (url: string, pids: number[], idle: Idle, headers: Record<string, string>) =>
    served(
      pids,
      quota,
      idle,
      async () => {
        const r = await load(url, { connections: 50, seconds, headers });
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`media-front: ${url} gave ${r.errors} errors, statuses ${JSON.stringify(r.statuses)}`);
        return { answers: r.requests, perSec: r.requestsPerSec, p95: r.p95 };
      },
      hub.pid
    );
  /**
   * `rounds` runs of the front and of nginx alone, alternating which goes first, after a round
   * of each not counted (the page cache, nginx's open files and the quota's first periods).
   */
  const alternate = async (front: () => Promise<Served>, alone: () => Promise<Served>) => {
    await front();
    await alone();
    const [bs, cs]: [Served[], Served[]] = [[], []];
    for (let i = 0; i < rounds; i += 1) {
      if (i % 2 === 0) {
        bs.push(await front());
        cs.push(await alone());
      } else {
        cs.push(await alone());
        bs.push(await front());
      }
    }
    return [bs, cs] as const;
  };
  try {
    // The front's first request for the file asks the hub, which links it (a public file): nginx
    // sends it itself once its cache of names has looked again (5 s; the hop rows take longer).
    await (await fetch(`${front.url}/media/${sha}`, { headers: { range: 'bytes=1-2' } })).arrayBuffer();
    const link = join(hub.dataDir, MEDIA_FRONT.public, sha.slice(0, 2), `${sha}.mp4`);
    for (let i = 0; !existsSync(link); i += 1) {
      if (i > 100) throw new Error(`media-front: the hub made no public link ${link}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await generatorAside(async () => {
      const idle = { alone: await idleOf(who.alone(), hub.pid), behind: await idleOf(who.behind(), hub.pid), theirs: await idleOf(who.theirs()) };
      // The price of the front: pages and the API take a hop through nginx (plain HTTP, the Pi's port 80).
      for (const [what, path, headers] of [
        ['portal page /', '/', { cookie: 'lang=fr' }],
        ['API list of 20 officials', '/api/v1/content?type=official&limit=20', {}],
      ] as const) {
        // A second first: the hub's caches and JIT warm.
        await load(`${front.url}${path}`, { connections: 50, seconds: 1, headers });
        const own = await loaded(`${hub.url}${path}`, who.alone(), idle.alone, headers);
        const hop = await loaded(`${front.url}${path}`, who.behind(), idle.behind, headers);
        report.add({
          section,
          metric: `${mode}: the front's hop, ${what}, 50 conn: through nginx / the hub's own port (p95 ${hop.p95} / ${own.p95} ms; CPU µs per answer ${hop.cpuUs} / ${own.cpuUs}, hub ÷ hub + nginx ${round(own.cpuUs / hop.cpuUs)}×)`,
          value: hop.perSec,
          unit: 'req/s',
          baseline: own.perSec,
          ratio: round(hop.perSec / own.perSec),
        });
      }
      const mid = MEDIA_BYTES / 2;
      const what = `64 KB ranges of a ${MEDIA_BYTES / 1048576} MB video, 50 conn`;
      const headers = { range: `bytes=${mid}-${mid + 65535}` };
      const [behind, theirs] = await alternate(
        () => loaded(`${front.url}/media/${sha}`, who.behind(), idle.behind, headers),
        () => loaded(`${nginx.url}/media/video.mp4`, who.theirs(), idle.theirs, headers)
      );
      // The whole file: autocannon's parser is the limit for 8 MB bodies, so a plain client that
      // drops the bytes. Half as long again: a round sends a few dozen files. nginx idles at
      // nothing, and the hub's part is measured apart (below), so no idle guessed wrong weighs.
      const whole = (url: string, pids: number[], idle: Idle) => served(pids, quota, idle, () => wholeFiles(url, 4, seconds * 1.5));
      // The hub's part of a whole file is counting its play (one datagram): measured apart, on
      // thousands of plays (64 KB from the start: each a play), its idle work guessed wrong then
      // weighs nothing; on a few dozen files a second it would weigh more than the play.
      const hubOnly = { all: idle.behind.hub, hub: idle.behind.hub };
      const plays = await loaded(`${front.url}/media/${sha}`, [hub.pid], hubOnly, { range: 'bytes=0-65535' });
      const nginxOnly = { all: idle.behind.all - idle.behind.hub, hub: 0 };
      const [nginxPart, c] = await alternate(
        () => whole(`${front.url}/media/${sha}`, processTree(front.pid), nginxOnly),
        () => whole(`${nginx.url}/media/video.mp4`, who.theirs(), idle.theirs)
      );
      const b = nginxPart.map((x) => ({ ...x, cpuUs: x.cpuUs + plays.cpuUs, hubUs: plays.cpuUs }));
      // The hub alone last: the garbage of its loads (8 MB files read into buffers) is collected
      // seconds later, and would be counted in the front's runs after them.
      const alone = await loaded(`${hub.url}/media/${sha}`, who.alone(), idle.alone, headers);
      const a = await whole(`${hub.url}/media/${sha}`, who.alone(), idle.alone);
      rows(what, 'req/s', alone, behind, theirs, `p95 ${alone.p95} / ${medianOf(behind).p95} / ${medianOf(theirs).p95} ms; `);
      rows(`the whole ${MEDIA_BYTES / 1048576} MB video, 4 conn`, 'MB/s', a, b, c, '');
    });
  } finally {
    await front.stop();
    await nginx.stop();
  }
}

/** MB/s of whole files fetched over `connections` keep-alive connections for `seconds`, and how many files. */
async function wholeFiles(url: string, connections: number, seconds: number): Promise<{ answers: number; perSec: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let bytes = 0;
  let answers = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const one = () =>
    new Promise<void>((ok, ko) => {
      get(url, { agent }, (res) => {
        if (res.statusCode !== 200) ko(new Error(`media-front: ${url} answered ${res.statusCode}`));
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => ok());
        res.on('error', ko);
      }).on('error', ko);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        await one();
        answers += 1;
      }
    })
  );
  agent.destroy();
  return { answers, perSec: round(bytes / 1048576 / ((performance.now() - t0) / 1000), 0) };
}

/** `make bench ONLY=media-front`: the media-front rows alone, pinned and at Pi speed (the pi section has them too). */
export async function benchMediaFront(report: Report, opts: { seconds: number; rounds: number }): Promise<void> {
  const section = 'media-front';
  const { dir, mediaSha } = await prepareDataDir(200, MEDIA_BYTES);
  chmodSync(dir.path, 0o755);
  const quota = makeCpuQuota();
  try {
    const modes: [string, CpuQuota | undefined][] = [['pinned', undefined]];
    if ('unavailable' in quota) report.add({ section, metric: 'Pi-speed runs', value: `not run: ${quota.unavailable}` });
    else modes.push(['Pi speed', quota]);
    for (const [mode, q] of modes) {
      const wrap = q?.wrap;
      const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_MEDIA_FRONT: 'true' }, { pin: PI_LIMITS, wrap });
      try {
        // The hub learns the file's facts on a first request (Express); the fast path answers the rest.
        await (await fetch(`${hub.url}/media/${mediaSha}`)).arrayBuffer();
        await mediaFrontRows(
          report,
          section,
          mode,
          { url: hub.url, port: hub.port, dataDir: dir.path, pid: hub.child.pid! },
          mediaSha,
          join(dir.path, `front-${mode.replace(' ', '-')}`),
          q,
          opts
        );
      } finally {
        await hub.stop();
      }
    }
  } finally {
    if (!('unavailable' in quota)) quota.remove();
    dir.remove();
  }
}
