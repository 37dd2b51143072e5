import { createLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { spawnHub, type HubProcess } from '../../support/hub.js';
import { postRegistration } from './http.js';
import type { FaultTally } from './tally.js';

export const HUB_ENV = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '1000000' };

/** Ids among `ids` that the databases under `dataDir` do not hold (opened cold, as after a power cut). */
export async function missingSubmissions(dataDir: string, ids: string[]): Promise<string[]> {
  const dbs = await openDatabases(dataDir, createLogger('silent'));
  try {
    const found = await dbs.submissions.allDocs({ keys: ids });
    return found.rows.filter((r) => 'error' in r || !('value' in r) || (r.value as { deleted?: boolean }).deleted).map((r) => r.key);
  } finally {
    await closeDatabases(dbs);
  }
}

/** `workers` phones sending registrations back to back until `stop()`; collects every id answered 201. */
export function submissionLoad(hub: HubProcess, workers: number): { acked: string[]; statuses: Map<number, number>; stop(): Promise<void> } {
  const acked: string[] = [];
  const statuses = new Map<number, number>();
  let running = true;
  let n = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      try {
        const res = await postRegistration(hub.url, (n += 1));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) acked.push((JSON.parse(res.body.toString()) as { id: string }).id);
      } catch {
        // Reset by the kill: never acknowledged, so never expected. Pause so a dead hub is not spun on.
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  });
  return {
    acked,
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * Power cuts during concurrent submissions: start the hub on the same data dir, let `workers`
 * phones submit, kill -9 it at a random moment, and check every 201 is on disk; `cycles` times.
 */
export async function killDuringSubmissions(
  tally: FaultTally,
  opts: { dataDir: string; cycles: number; workers: number; maxDelayMs: number }
): Promise<{ acked: number; missing: string[] }> {
  const all: string[] = [];
  const missing: string[] = [];
  for (let cycle = 0; cycle < opts.cycles; cycle += 1) {
    const hub = await spawnHub(opts.dataDir, HUB_ENV);
    const load = submissionLoad(hub, opts.workers);
    // The cut lands while writes are flowing: after the first acknowledgement, at a random moment.
    for (const until = Date.now() + 20_000; load.acked.length === 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.random() * opts.maxDelayMs));
    await hub.kill9();
    tally.faultsInjected += 1;
    await load.stop();
    all.push(...load.acked);
    tally.writesAcknowledged += load.acked.length;
    // Every write acknowledged so far, in every cycle, must still be there after this cut.
    for (const id of await missingSubmissions(opts.dataDir, all)) {
      if (missing.includes(id)) continue;
      missing.push(id);
      tally.problem(`acknowledged then lost after kill -9 (cycle ${cycle + 1}): ${id}`);
    }
  }
  tally.writesFound += all.length - missing.length;
  return { acked: all.length, missing };
}
