import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A CPU quota as a Raspberry Pi 4 core, by cgroup: `cpu.max` where the cpu controller is on
 * cgroup v2, else cgroup v1's `cpu.cfs_quota_us` (this machine). Pinning to one core of an x86
 * server still runs Node several times faster than a Cortex-A72 at 1.5 GHz; a quota slows it
 * down by the share given. The share is a documented fixed figure (PI_SHARE, default 0.25 as
 * DESIGN.md's first guess), and the run measures the slowdown it really gives on a fixed
 * workload so the table shows both. A short period (10 ms) keeps the throttling stalls short:
 * with the default 100 ms period a quota of 25 % stops the process for 75 ms at a time, which
 * is not how a slow core behaves.
 */
export const PI_SHARE = Number(process.env.PI_SHARE ?? 0.25);
const PERIOD_US = 10_000;

export interface CpuQuota {
  /** How it is enforced, for the report. */
  describe: string;
  /** Prefix for a command so it starts inside the group. */
  wrap: (cmd: string, args: string[]) => [string, string[]];
  /** Whether a process is in the group (its /proc/<pid>/cgroup names it for the cpu controller). */
  holds(pid: number): boolean;
  remove(): void;
}

/** Makes a cgroup limited to `share` of one core; null (with why) when this machine cannot. */
export function makeCpuQuota(share = PI_SHARE): CpuQuota | { unavailable: string } {
  const name = `espace-bench-${process.pid}`;
  const quota = Math.max(1000, Math.round(PERIOD_US * share));
  const v2 = '/sys/fs/cgroup/unified';
  const v2root = existsSync('/sys/fs/cgroup/cgroup.controllers') ? '/sys/fs/cgroup' : existsSync(join(v2, 'cgroup.controllers')) ? v2 : null;
  const v1 = '/sys/fs/cgroup/cpu';
  try {
    let dir: string;
    let describe: string;
    if (v2root && readFileSync(join(v2root, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) {
      writeFileSync(join(v2root, 'cgroup.subtree_control'), '+cpu');
      dir = join(v2root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
      describe = `cgroup v2 cpu.max "${quota} ${PERIOD_US}" (${share} of a core)`;
    } else if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
      dir = join(v1, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
      describe = `cgroup v1 cpu.cfs_quota_us ${quota} / cpu.cfs_period_us ${PERIOD_US} (${share} of a core)`;
    } else {
      return { unavailable: 'no cgroup cpu controller (neither cpu.max nor cpu.cfs_quota_us)' };
    }
    const procs = join(dir, 'cgroup.procs');
    return {
      describe,
      // v1: "3:cpu,cpuacct:/espace-bench-N"; v2: "0::/espace-bench-N".
      holds: (pid) =>
        readFileSync(`/proc/${pid}/cgroup`, 'utf8')
          .split('\n')
          .some((line) => {
            const [, controllers, path] = line.split(':');
            return path === `/${name}` && (controllers === '' || controllers!.split(',').includes('cpu'));
          }),
      // The shell joins the group, then becomes the command: no instant runs outside it.
      wrap: (cmd, args) => ['sh', ['-c', `echo $$ > ${procs} && exec "$0" "$@"`, cmd, ...args]],
      remove: () => {
        try {
          rmdirSync(dir);
        } catch (e) {
          // A group still holding a process cannot be removed; it is empty once the hub stopped.
          if ((e as NodeJS.ErrnoException).code !== 'EBUSY') throw e;
        }
      },
    };
  } catch (e) {
    return { unavailable: `cannot make a cgroup: ${(e as Error).message} (run as root)` };
  }
}

/** A fixed workload (JSON and string work, as the hub's hot paths do), in ms; run by `node -e` under each limit. */
export const CALIBRATION_SCRIPT = `
const doc = { title: { fr: 'Budget participatif de la commune de Kayes' }, body: { fr: 'Les femmes et les jeunes '.repeat(400) }, tags: Array.from({ length: 50 }, (_, i) => 'mot' + i) };
const t = process.hrtime.bigint();
let n = 0;
for (let i = 0; i < 3000; i += 1) { const s = JSON.stringify(doc); n += JSON.parse(s).tags.length + s.toLowerCase().split(' ').length; }
console.log(Number(process.hrtime.bigint() - t) / 1e6, n);
`;
