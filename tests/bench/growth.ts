import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { submissionId } from '../../content/index.js';
import { createLogger } from '../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../hub/storage/index.js';
import { spawnHub, type HubProcess } from '../support/hub.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { round, sequential } from './load.js';
import type { Report } from './report.js';
import { addFigures, underLoad } from './under-load.js';

const HUB_ENV = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '100000000' };

/** Bytes under a directory (what the SD card holds). */
export function diskBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? diskBytes(p) : statSync(p).size;
  }
  return total;
}

const mb = (bytes: number) => round(bytes / 1048576, 1);

/** Spawn to listening, and to the first search answered (the index is built after listening). */
async function timedStart(dataDir: string, env: Record<string, string> = {}): Promise<{ hub: HubProcess; listenMs: number; searchMs: number }> {
  const t0 = performance.now();
  const hub = await spawnHub(dataDir, { ...HUB_ENV, ...env }, { pin: PI_LIMITS });
  const listenMs = Math.round(performance.now() - t0);
  await (await fetch(`${hub.url}/api/v1/search?q=budget`)).arrayBuffer();
  return { hub, listenMs, searchMs: Math.round(performance.now() - t0) };
}

/** Size of one database before and after PouchDB's compaction, with the hub stopped. */
async function sizes(dataDir: string, db: 'content' | 'submissions'): Promise<{ before: number; after: number }> {
  const before = diskBytes(join(dataDir, 'db', db));
  const dbs = await openDatabases(dataDir, createLogger('silent'));
  try {
    await dbs[db].compact();
  } finally {
    await closeDatabases(dbs);
  }
  return { before, after: diskBytes(join(dataDir, 'db', db)) };
}

/**
 * Issue 8, point 4: how cost grows with the number of content docs (list, item, search, a
 * portal page under load; start-up; disk before and after compaction) and of submissions
 * (start-up, accepting more, a consultation's results, disk).
 */
export async function benchGrowth(
  report: Report,
  opts: { contentSizes: number[]; submissionSizes: number[]; seconds: number; connections: number }
): Promise<void> {
  const section = 'growth';
  for (const n of opts.contentSizes) {
    const t0 = performance.now();
    const { dir } = await prepareDataDir(n, 1024 * 1024);
    const label = `${n} docs`;
    report.add({ section, metric: `${label}: time to write them (bulk, fsync'd)`, value: Math.round(performance.now() - t0), unit: 'ms' });
    try {
      // The first start builds the search index and writes it to disk; every later start
      // (after a power cut, an update) reads it back: the one a visitor waits for.
      const first = await timedStart(dir.path);
      await first.hub.stop();
      report.add({
        section,
        metric: `${label}: first start ever (index built): to listening / to first search`,
        value: `${first.listenMs} / ${first.searchMs}`,
        unit: 'ms',
      });
      const { hub, listenMs, searchMs } = await timedStart(dir.path);
      const searchBudget = n <= 10_000 ? 1000 : n <= 50_000 ? 3000 : undefined;
      let stderr = '';
      hub.child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-600)));
      try {
        report.add({ section, metric: `${label}: start-up to listening / to first search`, value: `${listenMs} / ${searchMs}`, unit: 'ms' });
        if (searchBudget)
          report.add({
            section,
            metric: `${label}: start-up to first search (index on disk)`,
            value: searchMs,
            unit: 'ms',
            budget: `< ${searchBudget} ms`,
            ok: searchMs < searchBudget,
          });
        const run = (path: string, headers?: Record<string, string>) =>
          underLoad(hub, `${hub.url}${path}`, { connections: opts.connections, seconds: opts.seconds, headers });
        const steps: [string, () => Promise<void>][] = [
          [
            'list of 20',
            async () => addFigures(report, section, `${label}, list of 20 (${opts.connections} conn)`, await run('/api/v1/content?type=official&limit=20')),
          ],
          ['one doc', async () => addFigures(report, section, `${label}, one doc (${opts.connections} conn)`, await run('/api/v1/content/document:gen-1e'))],
          ['search', async () => addFigures(report, section, `${label}, search (${opts.connections} conn)`, await run('/api/v1/search?q=budget%20ecole'))],
          [
            'page',
            async () => addFigures(report, section, `${label}, page /apprendre (${opts.connections} conn)`, await run('/apprendre', { cookie: 'lang=fr' })),
          ],
          [
            'search alone',
            async () =>
              report.add({
                section,
                metric: `${label}: search p95, one visitor at a time`,
                value: (await sequential(`${hub.url}/api/v1/search?q=femmes%20jeunes`, 50)).p95,
                unit: 'ms',
              }),
          ],
        ];
        for (const [what, step] of steps) {
          await step().catch(() => undefined);
          // Under the Pi's heap cap the hub may die of it: that is a figure too, and the rest of this size is moot.
          if (hub.child.exitCode !== null || hub.child.signalCode !== null) {
            const why = /heap out of memory|Allocation failed/i.test(stderr)
              ? 'JavaScript heap out of memory'
              : (stderr.trim().split('\n').at(-1)?.slice(0, 120) ?? '');
            report.add({
              section,
              metric: `${label}: the hub DIED during "${what}" (heap cap ${PI_LIMITS.heapMB} MB)`,
              value: `exit ${hub.child.exitCode ?? hub.child.signalCode}: ${why}`,
              budget: 'stays up',
              ok: false,
            });
            break;
          }
        }
      } finally {
        await hub.stop();
      }
      const s = await sizes(dir.path, 'content');
      report.add({ section, metric: `${label}: content db on disk, before / after compaction`, value: `${mb(s.before)} / ${mb(s.after)}`, unit: 'MB' });
    } finally {
      dir.remove();
    }
  }

  for (const n of opts.submissionSizes) {
    const { dir } = await prepareDataDir(0, 1024);
    const label = `${n} submissions`;
    try {
      // The demo pack gives a real open consultation to vote in and to count.
      const seeded = await spawnHub(dir.path, { ...HUB_ENV, ESPACE_SEED_DEMO: 'true' });
      const consultations = (await (await fetch(`${seeded.url}/api/v1/content?type=consultation&limit=50`)).json()) as {
        items: { _id: string; options: { id: string }[]; closesAt: string }[];
      };
      await seeded.stop();
      const open = consultations.items.find((c) => Date.parse(c.closesAt) > Date.now()) ?? consultations.items[0]!;
      const t0 = performance.now();
      const dbs = await openDatabases(dir.path, createLogger('silent'));
      try {
        for (let i = 0; i < n; i += 1000) {
          const docs = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
            _id: submissionId('kayes-demo', 'response'),
            type: 'response',
            hubId: 'kayes-demo',
            createdAt: new Date().toISOString(),
            consultation: open._id,
            option: open.options[(i + k) % open.options.length]!.id,
            deviceId: `device-${i + k}`,
            sex: (i + k) % 2 ? 'F' : 'M',
            ageBand: '15-24',
          }));
          await dbs.submissions.bulkDocs(docs);
        }
      } finally {
        await closeDatabases(dbs);
      }
      report.add({ section, metric: `${label}: time to write them (bulk, fsync'd)`, value: Math.round(performance.now() - t0), unit: 'ms' });
      const resultsUrl = (h: HubProcess) => `${h.url}/api/v1/consultations/${encodeURIComponent(open._id)}/results`;
      const { hub, listenMs } = await timedStart(dir.path);
      try {
        report.add({ section, metric: `${label}: start-up to listening`, value: listenMs, unit: 'ms' });
        const body = JSON.stringify({ fullName: 'Aminata Diallo', sex: 'F', ageBand: '25-35', commune: 'kayes', consent: true });
        addFigures(
          report,
          section,
          `${label}, new registrations (${opts.connections} conn)`,
          await underLoad(hub, `${hub.url}/api/v1/submissions/registration`, {
            connections: opts.connections,
            seconds: opts.seconds,
            requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, body }],
          })
        );
        // The first call counts every vote once (the tallies are then kept, and saved at stop).
        const t1 = performance.now();
        const status = (await fetch(resultsUrl(hub))).status;
        report.add({
          section,
          metric: `${label}: a consultation's results, first call (counts every vote once)`,
          value: Math.round(performance.now() - t1),
          unit: 'ms',
        });
        const results = await sequential(resultsUrl(hub), 5);
        report.add({ section, metric: `${label}: a consultation's results (HTTP ${status}), p50 / p95`, value: `${results.p50} / ${results.p95}`, unit: 'ms' });
      } finally {
        await hub.stop();
      }
      const again = await spawnHub(dir.path, HUB_ENV, { pin: PI_LIMITS });
      try {
        // A first request warms the new process, so the figure is the tallies being read back.
        await (await fetch(`${again.url}/health`)).arrayBuffer();
        const t2 = performance.now();
        await (await fetch(resultsUrl(again))).arrayBuffer();
        report.add({
          section,
          metric: `${label}: a consultation's results, first call after a restart (tallies read back)`,
          value: Math.round(performance.now() - t2),
          unit: 'ms',
        });
      } finally {
        await again.stop();
      }
      const s = await sizes(dir.path, 'submissions');
      report.add({ section, metric: `${label}: submissions db on disk, before / after compaction`, value: `${mb(s.before)} / ${mb(s.after)}`, unit: 'MB' });
    } finally {
      dir.remove();
    }
  }
}
