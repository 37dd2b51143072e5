import { cpus } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../hub/config/index.js';
import { benchHubCore, PI_LIMITS } from './hub-core.js';
import { Report } from './report.js';
import { benchSync } from './sync.js';

/**
 * `make bench`: every section prints as it goes, then one summary table, saved as JSON under
 * var/bench/. Budgets are ratios against baselines measured in the same run.
 */
const quick = process.argv.includes('--quick');
const report = new Report();
Object.assign(report.limits, { hubCpu: `taskset -c ${PI_LIMITS.cpu}`, hubHeapMB: PI_LIMITS.heapMB, machineCores: cpus().length, loadGenerator: 'autocannon in this process' });

process.stdout.write('== hub core (issue 2)\n');
await benchHubCore(report, { docs: 10_000, seconds: quick ? 2 : 5, connections: 50 });

process.stdout.write('== sync at 256 kbit/s, 300 ms (issue 4)\n');
await benchSync(report, { quick });

report.print();
process.stdout.write(`\nwritten to ${report.write(join(projectRoot(), 'var', 'bench'))}\n`);
