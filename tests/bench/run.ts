import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { projectRoot, YOUNG_GENERATION_MB } from '../../hub/config/index.js';
import { benchHubCore, PI_LIMITS } from './hub-core.js';
import { Report } from './report.js';
import { hubNode } from '../support/hub.js';
import { benchPeers } from './peers.js';
import { benchGrowth } from './growth.js';
import { benchLoadAndSoak } from './soak.js';
import { benchSync } from './sync.js';
import { benchPortal } from './portal.js';
import { benchPiSpeed } from './pi-speed.js';
import { benchStatus } from './status.js';
import { benchCommunity } from './community.js';
import { benchLogins } from './logins.js';
import { benchStudio } from './studio.js';
import { benchOpportunities } from './opportunities.js';
import { benchSms } from './sms.js';
import { benchTls } from './tls.js';
import { benchCentral } from './central.js';
import { benchCentralGzip } from './central-gzip.js';
import { benchProposals } from './proposals.js';
import { benchSdWear } from './sd-wear.js';
import { benchInstructions } from './instructions.js';
import { benchStartup } from './startup.js';
import { benchMediaFront } from './media-front.js';
import { benchMemory } from './memory.js';

/**
 * `make bench`: every section prints as it goes, then one summary table, saved as JSON under
 * var/bench/. Budgets are ratios against baselines measured in the same run.
 */
const quick = process.argv.includes('--quick');
const report = new Report();
Object.assign(report.limits, {
  hubCpu: `taskset -c ${PI_LIMITS.cpu}`,
  hubHeapMB: PI_LIMITS.heapMB,
  hubSemiSpaceMB: YOUNG_GENERATION_MB,
  machineCores: cpus().length,
  loadGenerator: 'autocannon in this process',
  // The Node the hubs run on (ESPACE_HUB_NODE, `make bench HUB_NODE=image`): the Pi image's is 24.
  hubNode: `${hubNode()} ${execFileSync(hubNode(), ['--version'], { encoding: 'utf8' }).trim()}`,
});

/** `--only hub,portal` runs just those sections. */
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : null;
/** `--before=DIR`: another checkout, built, whose instruction counts go beside this tree's. */
const before = process.argv.find((a) => a.startsWith('--before='))?.slice('--before='.length);
const sections: [name: string, title: string, run: () => Promise<void>][] = [
  ['hub', 'hub core (issue 2)', () => benchHubCore(report, { docs: 10_000, seconds: quick ? 2 : 5, connections: 50 })],
  ['portal', 'portal page weight and time to usable (issue 3)', () => benchPortal(report)],
  ['sync', 'sync at 256 kbit/s, 300 ms (issue 4)', () => benchSync(report, { quick })],
  [
    'peers',
    'against nginx, kiwix-serve and pouchdb-server (issue 8)',
    () => benchPeers(report, { docs: 1000, mediaMB: 50, seconds: quick ? 2 : 5, connections: 50 }),
  ],
  [
    'growth',
    'growth (issue 8)',
    () =>
      benchGrowth(report, {
        contentSizes: quick ? [1000, 10_000] : [1000, 10_000, 50_000],
        submissionSizes: quick ? [1000, 10_000] : [1000, 100_000],
        seconds: quick ? 2 : 4,
        connections: 50,
      }),
  ],
  ['pi', 'pinned and at Pi speed: phones, registrations, first search (issue 18)', () => benchPiSpeed(report, { docs: 10_000, seconds: quick ? 5 : 20 })],
  [
    'memory',
    'resident memory after 200 phones and registrations at 10 000 and 50 000 docs, pinned and at Pi speed, and where it is (issue 18)',
    () => benchMemory(report, { sizes: [10_000, 50_000], seconds: quick ? 5 : 20 }),
  ],
  [
    'startup',
    'spawn to listening and to the first search, CPU time of the start, pinned and at Pi speed (issue 18)',
    () => benchStartup(report, { sizes: [10_000, 50_000], starts: quick ? 3 : 7, before }),
  ],
  [
    'media-front',
    "media: the hub alone, behind the Pi's nginx front, nginx alone; pinned and at Pi speed (issue 18)",
    () => benchMediaFront(report, { seconds: 1, rounds: quick ? 15 : 25 }),
  ],
  [
    'instructions',
    'CPU instructions per request on the fast-path routes, under callgrind, beside another build (issue 17)',
    () => benchInstructions(report, { before, docs: 2000, warm: quick ? 2000 : 5000, window: quick ? 200 : 500, repeats: 5 }),
  ],
  ['status', 'submission status lookup at 10, 1 000, 10 000 unsynced (issue 17)', () => benchStatus(report, { sizes: [10, 1000, 10_000] })],
  ['community', "community: topic page at 10 000 posts, a busy space's sync per day (issue 14)", () => benchCommunity(report, { quick })],
  ['logins', 'console logins and the phones during a login flood (issue 20)', () => benchLogins(report, { seconds: quick ? 3 : 8 })],
  [
    'studio',
    'the language studio: a 10 s take, the queue and coverage at 10 000 docs (issue 12)',
    () => benchStudio(report, { docs: 10_000, takes: quick ? 3 : 9 }),
  ],
  [
    'opportunities',
    'matching 500 opportunities against 22 000 members (issue 16)',
    async () => benchOpportunities(report, { members: 22_000, opportunities: 500 }),
  ],
  ['sms', 'SMS an hour through the queue against the ModemManager simulator (issue 16)', () => benchSms(report, { messages: quick ? 200 : 1000 })],
  [
    'proposals',
    'proposals: the proposals and a plan page at 5 000 proposals and 100 000 supports, counts after a restart (issue 15)',
    () => benchProposals(report, { proposals: 5000, supports: 100_000, requests: quick ? 40 : 200 }),
  ],
  ['tls', 'HTTPS vs plain HTTP on one hub, new and resumed TLS handshakes (issue 21)', () => benchTls(report, { seconds: quick ? 3 : 8, connections: 50 })],
  [
    'central',
    "central: merge lag of the hubs' databases, the console's fleet page at 500 hubs, pull bytes through the gzip proxy (issue 13)",
    async () => {
      await benchCentral(report, { hubs: quick ? 10 : 50, each: quick ? 200 : 1000, fleet: 500 });
      await benchCentralGzip(report);
    },
  ],
  [
    'sd-wear',
    "the SD card's wear: bytes written to the data partition per hour, idle and busy (issue 19)",
    () => benchSdWear(report, { idleSeconds: quick ? 10 : 120, busySeconds: quick ? 20 : 120, phones: quick ? 50 : 200 }),
  ],
  [
    'soak',
    'load at 50 and 200, during a sync, soak (issue 8)',
    () => benchLoadAndSoak(report, { docs: 10_000, seconds: quick ? 3 : 8, soakSeconds: quick ? 60 : 600 }),
  ],
];
for (const [name, title, run] of sections) {
  if (only && !only.has(name)) continue;
  process.stdout.write(`== ${title}\n`);
  await run();
}

report.print();
process.stdout.write(`\nwritten to ${report.write(join(projectRoot(), 'var', 'bench'))}\n`);
