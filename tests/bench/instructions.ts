import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../hub/config/index.js';
import { espaceBinOf } from '../support/espace-bin.js';
import { hubEnv, waitForListening } from '../support/hub.js';
import { prepareDataDir } from './hub-core.js';
import { round } from './load.js';
import type { Report } from './report.js';

const run = promisify(execFile);

/** The fast path's routes (issue 17: nothing slower than 5 % after the pipeline change). */
function routesFor(mediaSha: string): { name: string; path: string; headers?: Record<string, string>; status: number }[] {
  return [
    { name: 'content list', path: '/api/v1/content?type=official&limit=20', status: 200 },
    { name: 'content item', path: '/api/v1/content/document:gen-0', status: 200 },
    { name: 'search', path: '/api/v1/search?q=budget%20ecole', status: 200 },
    { name: 'cached portal page', path: '/apprendre', headers: { cookie: 'lang=fr', accept: 'text/html' }, status: 200 },
    { name: 'media 64 KB range', path: `/media/${mediaSha}`, headers: { range: 'bytes=131072-196607' }, status: 206 },
  ];
}

/** A hub of the build at `root` under callgrind, instrumentation off until asked (start-up at near full speed). */
class CallgrindHub {
  private dumps = 0;
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly outFile: string
  ) {}

  static async start(root: string, dataDir: string, outDir: string): Promise<CallgrindHub> {
    const outFile = join(outDir, `callgrind-${Date.now()}.out`);
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        '--separate-threads=yes',
        `--callgrind-out-file=${outFile}`,
        process.execPath,
        // A young generation large enough that most windows hold no scavenge, and whole
        // stop-the-world major collections: the marking phases of an incremental one slow
        // every request while they last (barriers, steps) and made windows bimodal. A window
        // holding a collection is then an outlier the median leaves out.
        '--min-semi-space-size=64',
        '--max-semi-space-size=64',
        '--no-incremental-marking',
        '--no-concurrent-marking',
        espaceBinOf(root),
        'start',
      ],
      {
        env: hubEnv(dataDir, { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '1000000' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    // Under valgrind a hub takes about ten times as long to start.
    const port = await waitForListening(child, 600_000);
    return new CallgrindHub(child, port, outFile);
  }

  private async control(...args: string[]): Promise<void> {
    await run('callgrind_control', [...args, String(this.child.pid)]);
  }

  instrument(on: boolean): Promise<void> {
    return this.control('-i', on ? 'on' : 'off');
  }

  /**
   * Instructions executed by the hub while `work` runs: on its main thread (the event loop:
   * parsing, routing, answering) and on all its threads (with the optimising compiler, the GC
   * helpers and libuv's file reads, which move with timing).
   */
  async count(work: () => Promise<void>): Promise<{ main: number; all: number }> {
    await this.control('-z');
    await work();
    await this.control('-d');
    this.dumps += 1;
    const prefix = `${basename(this.outFile)}.${this.dumps}-`;
    let main = 0;
    let all = 0;
    for (const f of readdirSync(dirname(this.outFile))) {
      if (!f.startsWith(prefix)) continue;
      const m = /^summary: (\d+)/m.exec(readFileSync(join(dirname(this.outFile), f), 'utf8'));
      if (!m) throw new Error(`no summary line in ${f}`);
      all += Number(m[1]);
      if (f === `${prefix}01`) main = Number(m[1]);
    }
    return { main, all };
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((ok) => this.child.once('exit', () => ok()));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** `n` requests one after another on one keep-alive connection, each read to its end. */
async function sequentialRequests(port: number, path: string, headers: Record<string, string> | undefined, status: number, n: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < n; i += 1) {
      await new Promise<void>((ok, ko) => {
        const req = request({ host: '127.0.0.1', port, path, agent, headers: { host: 'espace.home.arpa', ...headers } }, (res) => {
          if (res.statusCode !== status) ko(new Error(`${path} answered ${res.statusCode}, not ${status}`));
          res.resume();
          res.on('end', () => ok());
        });
        req.on('error', ko);
        req.end();
      });
    }
  } finally {
    agent.destroy();
  }
}

export interface InstructionOptions {
  /** Another checkout with its dist/ built (the code before a change); absent: this tree alone. */
  before?: string;
  docs: number;
  /** Requests per route before measuring (uninstrumented, so the JIT has settled). */
  warm: number;
  /** Requests per counted window, and how many windows per route (the median is kept). */
  window: number;
  repeats: number;
}

type Figures = Map<string, { main: number; all: number }>;

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/**
 * CPU instructions per request for each fast-path route, counted by callgrind: unlike req/s they
 * do not move with the load of a shared machine, so a 5 % change shows. Each route is counted
 * over `repeats` windows of `window` sequential requests on one keep-alive connection, after
 * `warm` uncounted ones; the median window is kept, and with a 64 MB young generation and
 * atomic major collections most windows hold no collection, so the median is the code's own
 * work (allocation included, its collection not). The budget is on the main thread; all threads are shown beside. The
 * client runs in
 * this process, outside valgrind. With `before`, that build is measured the same way on the
 * same data, side by side.
 */
export async function benchInstructions(report: Report, opts: InstructionOptions): Promise<void> {
  const section = 'instructions';
  await run('valgrind', ['--version']).catch(() => {
    throw new Error('valgrind is not installed (apt-get install valgrind): the instruction counts need callgrind');
  });
  if (opts.before && !existsSync(join(opts.before, 'dist/provisioning/cli.js'))) throw new Error(`${opts.before} has no dist/ built (npx tsc there)`);
  const { dir, mediaSha } = await prepareDataDir(opts.docs, 1024 * 1024);
  const routes = routesFor(mediaSha);
  const trees: [string, string][] = [...(opts.before ? ([['before', opts.before]] as [string, string][]) : []), ['this tree', projectRoot()]];
  const figures = new Map<string, Figures>();
  try {
    for (const [label, root] of trees) {
      const hub = await CallgrindHub.start(root, dir.path, dir.path);
      const perRoute: Figures = new Map();
      try {
        for (const r of routes) await sequentialRequests(hub.port, r.path, r.headers, r.status, opts.warm);
        await hub.instrument(true);
        for (const r of routes) {
          // Instrumenting retranslates the code, and the JIT settles the last of it: before any count.
          await sequentialRequests(hub.port, r.path, r.headers, r.status, 100);
          const main: number[] = [];
          const all: number[] = [];
          for (let k = 0; k < opts.repeats; k += 1) {
            const c = await hub.count(() => sequentialRequests(hub.port, r.path, r.headers, r.status, opts.window));
            main.push(c.main / opts.window);
            all.push(c.all / opts.window);
          }
          perRoute.set(r.name, { main: median(main), all: median(all) });
          const k = (xs: number[]) => xs.map((x) => Math.round(x / 1000)).join(', ');
          process.stdout.write(`  ${label} · ${r.name}: main thread ${k(main)} k, all threads ${k(all)} k instructions/request\n`);
        }
      } finally {
        await hub.stop();
      }
      figures.set(label, perRoute);
    }
  } finally {
    dir.remove();
  }
  const now = figures.get('this tree')!;
  const then = figures.get('before');
  for (const r of routes) {
    const after = now.get(r.name)!;
    if (!then) {
      report.add({ section, metric: `${r.name}: instructions per request, main thread`, value: Math.round(after.main) });
      report.add({ section, metric: `${r.name}: instructions per request, all threads`, value: Math.round(after.all) });
      continue;
    }
    const before = then.get(r.name)!;
    const ratio = round(after.main / before.main, 3);
    report.add({
      section,
      metric: `${r.name}: instructions per request, main thread, against ${opts.before}`,
      value: Math.round(after.main),
      baseline: Math.round(before.main),
      ratio,
      budget: '≤ 1.05× before',
      ok: ratio <= 1.05,
    });
    report.add({
      section,
      metric: `${r.name}: instructions per request, all threads`,
      value: Math.round(after.all),
      baseline: Math.round(before.all),
      ratio: round(after.all / before.all, 3),
    });
  }
}
