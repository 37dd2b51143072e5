import { performance } from 'node:perf_hooks';
import { couch } from '../../provisioning/central/index.js';
import { startTestCentral } from '../support/central.js';
import { ANALYST, consoleLogin, startTestConsole } from '../support/console.js';
import { round } from './load.js';
import type { Report } from './report.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function submission(hubId: string, i: number) {
  return {
    _id: `${hubId}:response:${String(i).padStart(12, '0')}aaaaaaaaaa`,
    type: 'response',
    hubId,
    consultation: 'consultation:budget-2027',
    option: 'eau',
    createdAt: '2026-12-01T08:00:00.000Z',
  };
}

function heartbeat(hubId: string, i: number) {
  return {
    _id: hubId,
    type: 'heartbeat',
    hubId,
    spaceName: `Espace ${i}`,
    commune: 'kayes-commune',
    region: 'kayes',
    version: '0.9.0',
    at: new Date(Date.now() - (i % 72) * 3600_000).toISOString(),
    uptimeSeconds: 3600,
    disk: { freeBytes: (i % 30) * 1024 ** 3, totalBytes: 32 * 1024 ** 3 },
    temperatureC: 40 + (i % 45),
    lastSync: i % 17 === 0 ? null : new Date().toISOString(),
    counts: {},
  };
}

/**
 * Issue 13 at central (the stand-in, whose replicator runs the `_replicator` jobs as CouchDB's
 * does): the lag of merging `hubs` hubs' own databases into `submissions` once each pushed
 * `each` submissions, beside the time the pushes themselves took; and the console's fleet page
 * at 500 hubs beside reading the same `fleet` docs raw.
 */
export async function benchCentral(report: Report, opts: { hubs: number; each: number; fleet: number }): Promise<void> {
  const section = 'central';
  const central = await startTestCentral();
  try {
    const hubs = Array.from({ length: opts.hubs }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
    const creds = new Map<string, { username: string; password: string }>();
    for (const id of hubs) {
      const e = await central.enroll(id);
      creds.set(id, { username: e.username, password: e.password });
    }
    const t0 = performance.now();
    await Promise.all(
      hubs.map(async (id) => {
        for (let i = 0; i < opts.each; i += 500) {
          const docs = Array.from({ length: Math.min(500, opts.each - i) }, (_, k) => submission(id, i + k));
          const res = await couch(central.url, `submissions-${id}/_bulk_docs`, creds.get(id)!, { method: 'POST', body: { docs } });
          if (res.status !== 201) throw new Error(`push of ${id} answered ${res.status}`);
        }
      })
    );
    const pushed = performance.now() - t0;
    await central.settled(600_000);
    const merged = performance.now() - t0;
    report.add({
      section,
      metric: `${opts.hubs} hubs × ${opts.each} submissions merged into submissions (from the first push)`,
      value: round(merged / 1000, 1),
      unit: 's',
      baseline: round(pushed / 1000, 1),
    });

    for (let i = 0; i < opts.fleet; i += 250) {
      const docs = Array.from({ length: Math.min(250, opts.fleet - i) }, (_, k) => heartbeat(`flotte-${String(i + k).padStart(3, '0')}`, i + k));
      const res = await couch(central.url, 'fleet/_bulk_docs', central.admin, { method: 'POST', body: { docs } });
      if (res.status !== 201) throw new Error(`fleet answered ${res.status}`);
    }
    const cons = await startTestConsole(central);
    try {
      const analyst = await consoleLogin(cons.origin, ANALYST);
      const page: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        let t = performance.now();
        const res = await analyst.get('/console/flotte');
        await res.text();
        if (res.status !== 200) throw new Error(`fleet page answered ${res.status}`);
        page.push(performance.now() - t);
        t = performance.now();
        await couch(central.url, 'fleet/_all_docs?include_docs=true', central.admin);
        raw.push(performance.now() - t);
      }
      report.add({
        section,
        metric: `console fleet page at ${opts.fleet + opts.hubs} hubs (median of 10)`,
        value: round(median(page), 1),
        unit: 'ms',
        baseline: round(median(raw), 1),
      });
    } finally {
      await cons.stop();
    }
  } finally {
    await central.stop();
  }
}
