import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../hub/storage/index.js';
import { confirmedInBamako, UnconfirmedSubmissions } from '../../hub/sync/index.js';
import { tempDir } from '../support/hub.js';
import { round } from './load.js';
import type { Report } from './report.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(n: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/**
 * The portal's submission status lookup (each phone polls it every 20 s) with 10, 1 000 and
 * 10 000 submissions not yet confirmed by central: memoised (what the hub does) beside a full
 * read of the unsynced submissions each time (what it did before).
 */
export async function benchStatus(report: Report, opts: { sizes: number[] }): Promise<void> {
  const section = 'status';
  for (const n of opts.sizes) {
    const dir = tempDir('espace-bench-status-');
    const dbs = await openDatabases(dir.path, silentLogger());
    try {
      const docs = Array.from({ length: n }, (_, i) => ({ _id: `bench:response:${String(i).padStart(10, '0')}`, type: 'response' }));
      for (let i = 0; i < docs.length; i += 1000) await dbs.submissions.bulkDocs(docs.slice(i, i + 1000) as never[]);
      const id = docs[docs.length - 1]!._id;
      const memo = new UnconfirmedSubmissions(dbs.submissions);
      const first = await timed(1, () => memo.confirmed([id]));
      const memoised = await timed(50, () => memo.confirmed([id]));
      const full = await timed(n >= 10_000 ? 3 : 10, () => confirmedInBamako(dbs.submissions, [id]));
      report.add({
        section,
        metric: `status lookup, ${n} unsynced: memoised (first lookup ${round(first, 1)} ms)`,
        value: round(memoised, 2),
        unit: 'ms',
        baseline: round(full, 2),
      });
    } finally {
      await closeDatabases(dbs);
      dir.remove();
    }
  }
}
