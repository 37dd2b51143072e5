import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { stringify } from 'yaml';
import { submissionId } from '../../content/index.js';
import { createLogger } from '../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../hub/storage/index.js';
import { startTestCentral } from '../support/central.js';
import { spawnHub, type HubProcess } from '../support/hub.js';
import { startProxy } from '../support/proxy.js';
import { publishAnnouncements } from '../support/sync-fixtures.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { round } from './load.js';
import { rssMB } from './processes.js';
import type { Report } from './report.js';
import { addFigures, loopDelay, underLoad } from './under-load.js';

const HUB_ENV = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '100000000' };
const REGISTRATION = JSON.stringify({ fullName: 'Fatoumata Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true });

/** What an evening at the centre sends: pages, API reads, searches, a media range, and now and then a submission. */
function visitorMix(mediaSha: string): autocannon.Request[] {
  const get = (path: string, headers: Record<string, string> = {}): autocannon.Request => ({ method: 'GET', path, headers });
  return [
    get('/apprendre', { cookie: 'lang=fr' }),
    get('/api/v1/content?type=official&limit=20'),
    get('/api/v1/content/document:gen-1e'),
    get('/api/v1/search?q=budget%20ecole'),
    get('/', { cookie: 'lang=fr' }),
    get('/api/v1/content?type=announcement&limit=20'),
    get(`/media/${mediaSha}`, { range: 'bytes=1048576-1114111' }),
    get('/api/v1/search?q=femmes'),
    { method: 'POST', path: '/api/v1/submissions/registration', headers: { 'content-type': 'application/json' }, body: REGISTRATION },
  ];
}

/**
 * Issue 8, points 3 and the soak: the hub (10 000 docs, pinned) under 50 and 200 concurrent
 * visitors, then during a sync with a stand-in central behind a shaped link, then memory
 * over a long run.
 */
export async function benchLoadAndSoak(report: Report, opts: { docs: number; seconds: number; soakSeconds: number }): Promise<void> {
  const section = 'load';
  const { dir, mediaSha } = await prepareDataDir(opts.docs, 8 * 1024 * 1024);
  const central = await startTestCentral();
  const proxy = await startProxy({ port: central.port }, { bytesPerSecond: 1_000_000, latencyMs: 40 });
  let hub: HubProcess | undefined;
  try {
    // Pending work for the sync: 5 000 submissions to push, 2 000 announcements to pull.
    const enrolled = await central.enroll('kayes-demo');
    await publishAnnouncements(central, 'bench', 2000, { all: true });
    const dbs = await openDatabases(dir.path, createLogger('silent'));
    for (let i = 0; i < 5000; i += 1000) {
      await dbs.submissions.bulkDocs(
        Array.from({ length: 1000 }, (_, k) => ({
          _id: submissionId('kayes-demo', 'registration'),
          type: 'registration',
          hubId: 'kayes-demo',
          createdAt: new Date().toISOString(),
          fullName: `Participante ${i + k}`,
          sex: 'F',
          ageBand: '15-24',
          commune: 'kayes',
          consent: true,
        }))
      );
    }
    await closeDatabases(dbs);
    const config = join(dir.path, 'espace.yaml');
    writeFileSync(
      config,
      stringify({
        central: { url: proxy.url, username: enrolled.username, password: enrolled.password },
        sync: { enabled: false, batchSize: 100, dailyBudgetMB: 1000 },
      })
    );
    hub = await spawnHub(dir.path, { ...HUB_ENV, ESPACE_CONFIG: config }, { pin: PI_LIMITS });
    const h = hub;
    await (await fetch(`${h.url}/api/v1/search?q=budget`)).arrayBuffer();
    const mix = visitorMix(mediaSha);
    const run = (connections: number, seconds = opts.seconds) => underLoad(h, h.url, { connections, seconds, requests: mix });
    // Warm-up (JIT, caches, first page renders) before anything is measured.
    await run(50, 2);

    addFigures(report, section, `mixed visitors, ${opts.docs} docs, 50 conn`, await run(50), 100);
    addFigures(report, section, `mixed visitors, ${opts.docs} docs, 200 conn`, await run(200), 100);

    // During a sync: the same 50 visitors while the hub pushes and pulls over a 1 MB/s, 40 ms link.
    const quiet = await run(50);
    const t0 = performance.now();
    const sync = fetch(`${h.url}/api/v1/sync/now?wait=1`, { method: 'POST' }).then((r) => r.json() as Promise<{ result: { ok: boolean; bytes: number } }>);
    let syncEnded = 0;
    void sync.then(() => (syncEnded = performance.now()));
    const during = await run(50);
    const synced = await sync;
    const syncMs = Math.round((syncEnded || performance.now()) - t0);
    addFigures(report, section, 'mixed visitors during a sync, 50 conn', during, 100);
    report.add({
      section,
      metric: 'throughput during a sync / without',
      value: during.requestsPerSec,
      unit: 'req/s',
      baseline: quiet.requestsPerSec,
      ratio: round(during.requestsPerSec / quiet.requestsPerSec),
    });
    report.add({
      section,
      metric: `the sync itself (5 000 up, 2 000 down, 1 MB/s link)${syncMs > opts.seconds * 1000 ? ', outlasting the load' : ''}`,
      value: `${synced.result.ok ? 'ok' : 'failed'}, ${round(synced.result.bytes / 1048576, 1)} MB in ${syncMs} ms`,
    });

    // Soak: a steady 50 visitors; memory sampled every few seconds; "flat" means the last 80 % grows by under 10 MB.
    const samples: { at: number; rss: number }[] = [];
    const start = performance.now();
    const sampler = setInterval(
      () => samples.push({ at: (performance.now() - start) / 1000, rss: rssMB(h.child.pid!) }),
      Math.max(1000, (opts.soakSeconds * 1000) / 60)
    );
    await loopDelay(h);
    const soak = await underLoad(h, h.url, { connections: 50, seconds: opts.soakSeconds, requests: mix });
    clearInterval(sampler);
    const settled = samples.filter((s) => s.at >= opts.soakSeconds * 0.2);
    const first = settled[0]?.rss ?? NaN;
    const last = settled.at(-1)?.rss ?? NaN;
    const peak = Math.max(...samples.map((s) => s.rss));
    const growth = last - first;
    addFigures(report, 'soak', `${opts.soakSeconds} s of 50 mixed visitors`, soak);
    report.add({
      section: 'soak',
      metric: 'resident memory after warm-up → end (peak)',
      value: `${first} → ${last} (${peak})`,
      unit: 'MB',
      budget: 'flat: < 10 MB growth',
      ok: growth < 10,
    });
  } finally {
    await hub?.stop();
    await proxy.stop();
    await central.stop();
    dir.remove();
  }
}
