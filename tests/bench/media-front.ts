import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
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

/**
 * Issue 18, item 5: a media file three ways in one run, under the same limit: the hub alone
 * (Node reads and writes the bytes), the hub behind the Pi's nginx front (the hub answers, nginx
 * sends the file with sendfile: provisioning's configuration), and nginx alone serving the same
 * file as a static one. 64 KB ranges (a phone's player seeking) and the whole file; ratios
 * against nginx alone. The front and the hub share one core (or one quota): the pessimistic
 * case, as a Pi's other cores also run the kiosk.
 */
export async function mediaFrontRows(
  report: Report,
  section: string,
  mode: string,
  hub: { url: string; port: number; dataDir: string },
  sha: string,
  dir: string,
  wrap?: Wrap,
  seconds = 3
): Promise<void> {
  const www = join(dir, 'www');
  mkdirSync(join(www, 'media'), { recursive: true });
  copyFileSync(join(hub.dataDir, 'media', sha.slice(0, 2), sha), join(www, 'media', 'video.mp4'));
  const nginx = await startNginx(join(dir, 'alone'), www, wrap);
  const front = await startNginxFront(join(dir, 'front'), hub.port, hub.dataDir, pinned(wrap));
  try {
    const mid = MEDIA_BYTES / 2;
    const cases: [string, Record<string, string>, number][] = [
      [`64 KB ranges of a ${MEDIA_BYTES / 1048576} MB video, 50 conn`, { range: `bytes=${mid}-${mid + 65535}` }, 50],
    ];
    for (const [what, headers, connections] of cases) {
      const run = async (url: string) => {
        const r = await load(url, { connections, seconds, headers });
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`media-front: ${url} gave ${r.errors} errors, statuses ${JSON.stringify(r.statuses)}`);
        return r;
      };
      const alone = await run(`${hub.url}/media/${sha}`);
      const behind = await run(`${front.url}/media/${sha}`);
      const theirs = await run(`${nginx.url}/media/video.mp4`);
      report.add({
        section,
        metric: `${mode}: media-front, ${what}: hub alone / hub behind nginx / nginx alone (p95 ${alone.p95} / ${behind.p95} / ${theirs.p95} ms; hub alone ${round(alone.requestsPerSec / theirs.requestsPerSec)}×)`,
        value: `${alone.requestsPerSec} / ${behind.requestsPerSec}`,
        unit: 'req/s',
        baseline: theirs.requestsPerSec,
        ratio: round(behind.requestsPerSec / theirs.requestsPerSec),
        budget: '≥ 0.9× nginx',
        ok: behind.requestsPerSec >= 0.9 * theirs.requestsPerSec,
      });
    }
    // The whole file: autocannon's parser is the limit for 8 MB bodies, so a plain client that drops the bytes.
    const whole = async (url: string) => wholeFiles(url, 4, seconds);
    const [a, b, c] = [await whole(`${hub.url}/media/${sha}`), await whole(`${front.url}/media/${sha}`), await whole(`${nginx.url}/media/video.mp4`)];
    report.add({
      section,
      metric: `${mode}: media-front, the whole ${MEDIA_BYTES / 1048576} MB video, 4 conn: hub alone / hub behind nginx / nginx alone (hub alone ${round(a / c)}×)`,
      value: `${a} / ${b}`,
      unit: 'MB/s',
      baseline: c,
      ratio: round(b / c),
      budget: '≥ 0.9× nginx',
      ok: b >= 0.9 * c,
    });
  } finally {
    await front.stop();
    await nginx.stop();
  }
}

/** MB/s of whole files fetched over `connections` keep-alive connections for `seconds`. */
async function wholeFiles(url: string, connections: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let bytes = 0;
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
      while (performance.now() < until) await one();
    })
  );
  agent.destroy();
  return round(bytes / 1048576 / ((performance.now() - t0) / 1000), 0);
}

/** `make bench ONLY=media-front`: the media-front rows alone, pinned and at Pi speed (the pi section has them too). */
export async function benchMediaFront(report: Report, opts: { seconds: number }): Promise<void> {
  const section = 'media-front';
  const { dir, mediaSha } = await prepareDataDir(200, MEDIA_BYTES);
  chmodSync(dir.path, 0o755);
  const quota = makeCpuQuota();
  try {
    const modes: [string, Wrap | undefined][] = [['pinned', undefined]];
    if ('unavailable' in quota) report.add({ section, metric: 'Pi-speed runs', value: `not run: ${quota.unavailable}` });
    else modes.push(['Pi speed', quota.wrap]);
    for (const [mode, wrap] of modes) {
      const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_MEDIA_FRONT: 'true' }, { pin: PI_LIMITS, wrap });
      try {
        // The hub learns the file's facts on a first request (Express); the fast path answers the rest.
        await (await fetch(`${hub.url}/media/${mediaSha}`)).arrayBuffer();
        await mediaFrontRows(
          report,
          section,
          mode,
          { url: hub.url, port: hub.port, dataDir: dir.path },
          mediaSha,
          join(dir.path, `front-${mode.replace(' ', '-')}`),
          wrap,
          opts.seconds
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
