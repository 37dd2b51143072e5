import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { hubNodeFlags, projectRoot } from '../../hub/config/index.js';
import { PI_LIMITS, prepareDataDir } from './hub-core.js';
import { makeCpuQuota, PI_SHARE, type CpuQuota } from './cpu-quota.js';
import { round } from './load.js';
import type { Report } from './report.js';
import { espaceBinOf } from '../support/espace-bin.js';
import { freePort, hubEnv, hubNode, unitEnv } from '../support/hub.js';

const HUB_ENV = { ESPACE_LOG_LEVEL: 'warn' };

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export interface Start {
  /** Spawn to the port accepting connections. */
  listenMs: number;
  /** Spawn to the first search answered (sent as soon as the port accepts). */
  searchMs: number;
  /** CPU time of the hub when the first search was answered. */
  cpuMs: number;
  /** Spawn to `espace start` printing its addresses: everything serves (READY=1). */
  readyMs: number;
}

async function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The port of each data dir's hub: the same at every start, as a hub's unit gives it the same
 * configuration, which its start then reads back as validated (ESPACE_CONFIG_CACHE) instead of
 * validating it again.
 */
const ports = new Map<string, number>();

/**
 * The kept configuration of `root`'s hub on `dataDir`: one per tree, as each tree's code is its
 * own (a shared file would be a miss at every start when two trees alternate, BEFORE=).
 */
function configCacheOf(root: string, dataDir: string): string {
  return join(dataDir, 'cache', `config-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.json`);
}

/** One start of `root`'s `espace start` (pinned, under `wrap` if given), stopped once measured: see Start. */
export async function startToFirstSearch(root: string, dataDir: string, wrap?: CpuQuota['wrap']): Promise<Start> {
  const port = ports.get(dataDir) ?? (await freePort());
  ports.set(dataDir, port);
  const bare: [string, string[]] = ['taskset', ['-c', String(PI_LIMITS.cpu), hubNode(), ...hubNodeFlags(PI_LIMITS.heapMB), espaceBinOf(root), 'start']];
  const [cmd, args] = wrap ? wrap(...bare) : bare;
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    // The configuration and the compiled modules kept as the unit keeps them (ESPACE_CONFIG_CACHE,
    // NODE_COMPILE_CACHE, keyed by each file's content): the first start writes them.
    env: hubEnv(dataDir, { ...unitEnv(dataDir), ...HUB_ENV, ESPACE_PORT: String(port), ESPACE_CONFIG_CACHE: configCacheOf(root, dataDir) }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('http://localhost:')) resolve(performance.now() - t0);
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code} before starting`)));
  });
  ready.catch(() => undefined);
  try {
    while (!(await connects(port))) {
      if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const listenMs = performance.now() - t0;
    // A hub that listens before its index is started answers from the empty index at first
    // (the start order before issue 18): the first search counted is the first one that finds.
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/search?q=budget`);
      const body = (await res.json()) as { items: unknown[] };
      if (!res.ok) throw new Error(`first search answered ${res.status}`);
      if (body.items.length > 0) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    const searchMs = performance.now() - t0;
    const cpu = cpuMs(child.pid!);
    return { listenMs, searchMs, cpuMs: cpu, readyMs: await ready };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Issue 18 item 3: spawn to listening, spawn to the first search answered and the CPU time of
 * the start, pinned and at Pi speed, with the index on disk (a first start wrote it); the median
 * of `starts` runs. With `before`, that checkout's build is measured on the same data, the two
 * alternating, so that both see the same machine.
 */
export async function benchStartup(report: Report, opts: { sizes: number[]; starts: number; before?: string | undefined }): Promise<void> {
  const section = 'startup';
  const quota = makeCpuQuota();
  const modes: [string, CpuQuota['wrap'] | undefined][] = [['pinned', undefined]];
  if ('unavailable' in quota) report.add({ section, metric: 'Pi-speed starts', value: `not run: ${quota.unavailable}` });
  else modes.push([`Pi speed (${PI_SHARE})`, quota.wrap]);
  const trees: [string, string][] = [...(opts.before ? [['before', opts.before] as [string, string]] : []), ['this tree', projectRoot()]];
  try {
    for (const docs of opts.sizes) {
      const { dir } = await prepareDataDir(docs, 1024);
      try {
        // A first start writes the search index; the measured ones read it back.
        for (const [, root] of trees) await startToFirstSearch(root, dir.path);
        for (const [mode, wrap] of modes) {
          const runs = new Map<string, Start[]>(trees.map(([name]) => [name, []]));
          for (let i = 0; i < opts.starts; i += 1) for (const [name, root] of trees) runs.get(name)!.push(await startToFirstSearch(root, dir.path, wrap));
          for (const [name, starts] of runs) {
            const listen = round(median(starts.map((s) => s.listenMs)), 0);
            const search = round(median(starts.map((s) => s.searchMs)), 0);
            const cpu = round(median(starts.map((s) => s.cpuMs)), 0);
            const ready = round(median(starts.map((s) => s.readyMs)), 0);
            const budget = docs >= 50_000 ? 3000 : 1000;
            report.add({
              section,
              metric: `${name}, ${mode}, ${docs} docs: spawn to listening / to first search / CPU by then / to everything serving (median of ${opts.starts})`,
              value: `${listen} / ${search} / ${cpu} / ${ready}`,
              unit: 'ms',
              budget: `first search < ${budget} ms`,
              ok: search < budget,
            });
            process.stdout.write(
              `  ${name} ${mode} ${docs}: ${starts.map((s) => `${round(s.listenMs, 0)}/${round(s.searchMs, 0)}/${round(s.cpuMs, 0)}/${round(s.readyMs, 0)}`).join('  ')}\n`
            );
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
