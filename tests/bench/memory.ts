import { readFileSync } from 'node:fs';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { makeCpuQuota, type CpuQuota } from './cpu-quota.js';
import { load, round } from './load.js';
import { crowdOf200, phones } from './phones.js';
import { cpuMs, rssMB } from './processes.js';
import type { Report } from './report.js';
import { hubNode, spawnHub } from '../support/hub.js';

const HUB_ENV = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '100000000' };
const REGISTRATION = JSON.stringify({ fullName: 'Fatoumata Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true });
/** Issue 18's budgets for resident memory after load. */
const BUDGET_MB: Record<number, number> = { 10_000: 120, 50_000: 200 };

const mb = (bytes: number) => round(bytes / 1048576, 1);

/**
 * Where a process's resident memory is, from /proc/<pid>/smaps: anonymous (V8's heap, malloc)
 * and file-backed, of which the node binary's pages and LevelDB's tables (LevelDB reads its
 * tables through mmap: the pages it touched are resident until the table is closed).
 */
export function residentParts(pid: number): { anonMB: number; fileMB: number; nodeBinaryMB: number; leveldbMB: number } {
  let anon = 0;
  let file = 0;
  let binary = 0;
  let leveldb = 0;
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      name = head[1] ?? '';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      const kb = Number(rss[1]);
      if (!name.startsWith('/')) anon += kb;
      else {
        file += kb;
        if (name === hubNode()) binary += kb;
        if (name.endsWith('.ldb')) leveldb += kb;
      }
    }
  }
  const m = (kb: number) => round(kb / 1024, 1);
  return { anonMB: m(anon), fileMB: m(file), nodeBinaryMB: m(binary), leveldbMB: m(leveldb) };
}

/**
 * Issue 18, point 4: the hub's resident memory after a load, at 10 000 and 50 000 docs, pinned
 * and at Pi speed (the V8 flags and MALLOC_ARENA_MAX the systemd unit gives the hub): 200
 * phones in an open loop, then registrations at 50 connections, as in the `pi` section; then
 * VmRSS, and where it is (V8's heap from /health, anonymous and file-backed pages from smaps).
 */
export async function benchMemory(report: Report, opts: { sizes: number[]; seconds: number }): Promise<void> {
  const section = 'memory';
  const quota = makeCpuQuota();
  const modes: [string, CpuQuota['wrap'] | undefined][] = [['pinned', undefined]];
  if ('unavailable' in quota) report.add({ section, metric: 'Pi-speed runs', value: `not run: ${quota.unavailable}` });
  else {
    report.limits.piSpeed = quota.describe;
    modes.push(['Pi speed', quota.wrap]);
  }
  try {
    for (const n of opts.sizes) {
      const { dir } = await prepareDataDir(n, 1024 * 1024);
      try {
        // A first start writes the search index to disk: the measured starts read it back, as a Pi's do.
        await (await spawnHub(dir.path, HUB_ENV, { pin: PI_LIMITS })).stop();
        for (const [mode, wrap] of modes) {
          const hub = await spawnHub(dir.path, HUB_ENV, { pin: PI_LIMITS, wrap });
          try {
            const pid = hub.child.pid!;
            const started = rssMB(pid);
            const cpuBefore = cpuMs(pid);
            const crowd = await phones(hub.url, crowdOf200(opts.seconds * 3, REGISTRATION));
            const afterPhones = rssMB(pid);
            const phonesCpu = round(cpuMs(pid) - cpuBefore, 0);
            const regs = await load(`${hub.url}/api/v1/submissions/registration`, {
              connections: 50,
              seconds: opts.seconds,
              requests: [{ method: 'POST', path: '/api/v1/submissions/registration', headers: { 'content-type': 'application/json' }, body: REGISTRATION }],
            });
            const regsCpu = round(cpuMs(pid) - cpuBefore - phonesCpu, 0);
            const rss = rssMB(pid);
            const health = (await (await fetch(`${hub.url}/health`)).json()) as {
              memory: { heapUsedBytes: number; heapTotalBytes: number; externalBytes: number };
            };
            const parts = residentParts(pid);
            const budget = BUDGET_MB[n];
            report.add({
              section,
              metric: `${mode}: resident memory after 200 phones and registrations (${n} docs; at start ${started}, after the phones ${afterPhones})`,
              value: rss,
              unit: 'MB',
              ...(budget ? { budget: `< ${budget} MB`, ok: rss < budget } : {}),
            });
            report.add({
              section,
              metric: `${mode}: where it is (${n} docs): V8 heap used / committed, external; anonymous; file-backed (node binary, LevelDB tables)`,
              value: `${mb(health.memory.heapUsedBytes)} / ${mb(health.memory.heapTotalBytes)}, ${mb(health.memory.externalBytes)}; ${parts.anonMB}; ${parts.fileMB} (${parts.nodeBinaryMB}, ${parts.leveldbMB})`,
              unit: 'MB',
            });
            // For information only (the budget is the row above, read as the load ends): V8's memory
            // reducer hands back the heap the load left about 8 s after it, idle.
            await new Promise((resolve) => setTimeout(resolve, 10_000));
            report.add({
              section,
              metric: `${mode}: resident memory 10 s after the load, idle (${n} docs; information, not the budget)`,
              value: rssMB(pid),
              unit: 'MB',
            });
            // The hub's own CPU for the load (/proc/<pid>/stat): what a flag or a cache costs, steadier than latency here.
            report.add({
              section,
              metric: `${mode}: hub CPU time per phone request (${n} docs, ${crowd.requests} requests, p95 ${crowd.p95} ms) / per registration (${regs.requestsPerSec}/s)`,
              value: `${round(phonesCpu / crowd.requests, 2)} / ${round(regsCpu / Math.max(1, regs.requestsPerSec * opts.seconds), 2)}`,
              unit: 'ms',
            });
          } finally {
            await hub.stop();
          }
        }
      } finally {
        dir.remove();
      }
    }
  } finally {
    if (!('unavailable' in quota)) quota.remove();
  }
}
