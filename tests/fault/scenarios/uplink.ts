import { hubCentralDb } from '../../../content/index.js';
import { writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { spawnHub, tempDir, type HubProcess } from '../../support/hub.js';
import { startProxy, type ShapingProxy } from '../../support/proxy.js';
import { centralIds, publishAnnouncements } from '../../support/sync-fixtures.js';
import { send } from './http.js';
import { HUB_ENV, missingSubmissions, submissionLoad } from './power-cuts.js';
import type { FaultTally } from './tally.js';

/** Central behind the shaping proxy, with a hub enrolled and content published for it. */
export interface Uplink {
  central: TestCentral;
  proxy: ShapingProxy;
  hubId: string;
  content: string[];
  /** A config file for `espace start` pointing the hub at `url` (the proxy unless told). */
  configFile(dir: string, url?: string): string;
  stop(): Promise<void>;
}

export async function startUplink(hubId: string): Promise<Uplink> {
  const central = await startTestCentral();
  const proxy = await startProxy({ port: central.port }, { bytesPerSecond: 400_000, latencyMs: 20 });
  const enrolled = await central.enroll(hubId);
  const content = await publishAnnouncements(central, hubId, 60, { all: true });
  return {
    central,
    proxy,
    hubId,
    content,
    configFile(dir, url = proxy.url) {
      const file = join(dir, 'espace.yaml');
      writeFileSync(
        file,
        stringify({
          hubId,
          central: { url, username: enrolled.username, password: enrolled.password },
          // Short pauses and many tries, so a run fits in a test; batches small enough to be cut often.
          sync: { enabled: false, retryBaseSeconds: 0.1, attemptsPerRun: 5, probeSeconds: 1, batchSize: 25, dailyBudgetMB: 1000 },
        })
      );
      return file;
    },
    async stop() {
      await proxy.stop();
      await central.stop();
    },
  };
}

interface SyncNowAnswer {
  result?: { ok: boolean; classes: Record<string, { ok: boolean; error?: string }> };
  status: { classes: Record<string, { lastError: { kind: string; message: string } | null }>; clockOffsetMs?: number | null };
}

export async function syncNow(hub: HubProcess, wait: boolean): Promise<SyncNowAnswer & { http: number }> {
  const res = await send(hub.url, `/api/v1/sync/now${wait ? '?wait=1' : ''}`, { method: 'POST', timeoutMs: 120_000 });
  return { http: res.status, ...(JSON.parse(res.body.toString()) as SyncNowAnswer) };
}

/** Every acknowledged submission is at central, once; nothing from this hub that it did not acknowledge or hold. */
export async function checkCentral(
  tally: FaultTally,
  up: Uplink,
  dataDir: string,
  acked: string[]
): Promise<{ atCentral: number; missingAtCentral: string[]; strangers: string[] }> {
  const ids = await centralIds(up.central, hubCentralDb(up.hubId), `${up.hubId}:`);
  const set = new Set(ids);
  const missingAtCentral = acked.filter((id) => !set.has(id));
  // Central may hold writes the hub stored but could not acknowledge before the cut; those must be on the hub too.
  const extra = ids.filter((id) => !acked.includes(id) && !id.includes(':usage:'));
  const strangers = extra.length ? await missingSubmissions(dataDir, extra) : [];
  for (const id of missingAtCentral) tally.problem(`acknowledged on the hub but never reached central: ${id}`);
  for (const id of strangers) tally.problem(`central holds ${id}, which the hub does not have`);
  if (ids.length !== set.size) tally.problem('central holds a submission twice');
  return { atCentral: ids.length, missingAtCentral, strangers };
}

/**
 * Power cuts during sync: phones submit, a sync starts, the hub is killed at a random moment,
 * `cycles` times; then one clean run must bring central every acknowledged write, once.
 */
export async function killDuringSync(tally: FaultTally, up: Uplink, opts: { cycles: number; maxDelayMs: number }) {
  const dir = tempDir('espace-fault-sync-');
  const env = { ...HUB_ENV, ESPACE_CONFIG: up.configFile(dir.path) };
  const dataDir = join(dir.path, 'data');
  const acked: string[] = [];
  try {
    for (let cycle = 0; cycle < opts.cycles; cycle += 1) {
      const hub = await spawnHub(dataDir, env);
      const load = submissionLoad(hub, 4);
      await new Promise((r) => setTimeout(r, 300));
      await syncNow(hub, false);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * opts.maxDelayMs));
      await hub.kill9();
      tally.faultsInjected += 1;
      await load.stop();
      acked.push(...load.acked);
    }
    tally.writesAcknowledged += acked.length;
    const lost = await missingSubmissions(dataDir, acked);
    tally.writesFound += acked.length - lost.length;
    for (const id of lost) tally.problem(`lost on the hub after kill -9 during sync: ${id}`);
    const hub = await spawnHub(dataDir, env);
    let final: SyncNowAnswer & { http: number };
    let pending: { unconfirmedSubmissions: number };
    let local: { total: number };
    try {
      final = await syncNow(hub, true);
      if (!final.result?.ok) final = await syncNow(hub, true);
      pending = JSON.parse((await send(hub.url, '/api/v1/sync')).body.toString()) as typeof pending;
      local = JSON.parse((await send(hub.url, '/api/v1/content?type=announcement&limit=100')).body.toString()) as typeof local;
    } finally {
      await hub.stop();
    }
    // The databases are checked once the hub has let go of them.
    const central = await checkCentral(tally, up, dataDir, acked);
    return { acked: acked.length, lost, final, unconfirmed: pending.unconfirmedSubmissions, contentPulled: local.total, ...central };
  } finally {
    dir.remove();
  }
}

/** A server that answers every request with the same broken body: a captive portal upstream, a proxy error page. */
async function garbageServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('<html>Votre forfait est épuisé</html>\u0000{"ok":tru');
  });
  return listen(server);
}

/** Central's answers, with its clock `offsetMs` away from ours (a central — or a hub — whose date is years wrong). */
async function skewedClock(target: string, offsetMs: number): Promise<{ url: string; stop(): Promise<void> }> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...r.headers, date: new Date(Date.now() + offsetMs).toUTCString() });
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return listen(server);
}

async function listen(server: Server): Promise<{ url: string; stop(): Promise<void> }> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** One visitor's reads, one at a time, while `during` runs: the p95 a phone feels. */
async function servingWhile(hub: HubProcess, during: Promise<unknown>): Promise<{ p95: number; errors: number; n: number }> {
  const times: number[] = [];
  let errors = 0;
  let done = false;
  void during.finally(() => (done = true));
  const paths = ['/api/v1/content?type=announcement&limit=20', '/api/v1/search?q=conseil', '/health'];
  for (let i = 0; !done || i < 10; i += 1) {
    const t = performance.now();
    const res = await send(hub.url, paths[i % paths.length]!).catch(() => null);
    times.push(performance.now() - t);
    if (!res || res.status >= 500) errors += 1;
    if (i > 2000) break;
  }
  await during;
  times.sort((a, b) => a - b);
  return { p95: Math.round(times[Math.floor(times.length * 0.95)]! * 10) / 10, errors, n: times.length };
}

export interface UplinkCase {
  fault: string;
  ok: boolean;
  message: string;
  servingP95Ms: number;
  servingErrors: number;
}

/**
 * The uplink fails in each way in turn, while a phone reads: the run ends with the error in
 * words, serving goes on; then the link heals and one run moves everything, exactly once.
 */
export async function uplinkFaults(
  tally: FaultTally,
  up: Uplink
): Promise<{ cases: UplinkCase[]; acked: number; after: Awaited<ReturnType<typeof checkCentral>>; healedOk: boolean; quietP95Ms: number }> {
  const dir = tempDir('espace-fault-uplink-');
  const dataDir = join(dir.path, 'data');
  const garbage = await garbageServer();
  const skew = await skewedClock(up.proxy.url, 5 * 365 * 24 * 3600 * 1000);
  const acked: string[] = [];
  const cases: UplinkCase[] = [];
  try {
    const variants: { fault: string; url?: string; arm(): void }[] = [
      { fault: 'central down', arm: () => up.proxy.setFaults({ down: true }) },
      { fault: 'slow (2 KB/s, 800 ms latency)', arm: () => up.proxy.setShape({ bytesPerSecond: 2000, latencyMs: 800 }) },
      { fault: 'cut mid-response every 20 KB', arm: () => up.proxy.setFaults({ cutEveryBytes: 20_000 }) },
      { fault: 'answering 503', arm: () => up.proxy.setFaults({ failRequests: { count: 1000, status: 503 } }) },
      { fault: 'answering garbage', url: garbage.url, arm: () => undefined },
      { fault: 'clock five years ahead', url: skew.url, arm: () => undefined },
    ];
    let quietP95Ms = NaN;
    for (const v of variants) {
      const hub = await spawnHub(dataDir, { ...HUB_ENV, ESPACE_CONFIG: up.configFile(dir.path, v.url ?? up.proxy.url) });
      try {
        const load = submissionLoad(hub, 2);
        await new Promise((r) => setTimeout(r, 300));
        await load.stop();
        acked.push(...load.acked);
        if (Number.isNaN(quietP95Ms)) quietP95Ms = (await servingWhile(hub, new Promise((r) => setTimeout(r, 1500)))).p95;
        v.arm();
        tally.faultsInjected += 1;
        // A slow link would take minutes: that run is given 8 s, then the link heals underneath it.
        // The other faults stay until the run gives up, so its error is what a technician would read.
        const run = syncNow(hub, true);
        const heal = v.fault.startsWith('slow') ? setTimeout(() => up.proxy.setShape({ bytesPerSecond: 400_000, latencyMs: 20 }), 8000) : undefined;
        const serving = await servingWhile(hub, run);
        clearTimeout(heal);
        const answer = await run;
        const errors = Object.values(answer.status.classes)
          .map((c) => c.lastError?.message)
          .filter(Boolean) as string[];
        cases.push({
          fault: v.fault,
          ok: Boolean(answer.result?.ok),
          message: errors[0] ?? (v.fault.startsWith('clock') ? `clock offset seen: ${answer.status.clockOffsetMs} ms` : ''),
          servingP95Ms: serving.p95,
          servingErrors: serving.errors,
        });
        if (serving.errors) tally.problem(`uplink ${v.fault}: ${serving.errors} reads failed on the hub meanwhile`);
      } finally {
        up.proxy.setShape({ bytesPerSecond: 400_000, latencyMs: 20 });
        up.proxy.setFaults({});
        await hub.stop();
      }
    }
    tally.writesAcknowledged += acked.length;
    const lost = await missingSubmissions(dataDir, acked);
    tally.writesFound += acked.length - lost.length;
    const hub = await spawnHub(dataDir, { ...HUB_ENV, ESPACE_CONFIG: up.configFile(dir.path) });
    let healed: SyncNowAnswer;
    try {
      healed = await syncNow(hub, true);
    } finally {
      await hub.stop();
    }
    const after = await checkCentral(tally, up, dataDir, acked);
    return { cases, acked: acked.length, after, healedOk: Boolean(healed.result?.ok), quietP95Ms };
  } finally {
    await garbage.stop();
    await skew.stop();
    dir.remove();
  }
}
