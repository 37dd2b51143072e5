import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnHub, tempDir } from '../../support/hub.js';
import { hubMemory, postRegistration, send } from './http.js';
import { HUB_ENV, missingSubmissions } from './power-cuts.js';
import type { FaultTally } from './tally.js';

/** A size-limited tmpfs (root only), standing in for an SD card with little room left. */
export function smallFilesystem(sizeMB: number): { path: string; free(): number; remove(): void } {
  const dir = tempDir('espace-small-fs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMB}m`, 'tmpfs', dir.path]);
  return {
    path: dir.path,
    free: () => {
      const s = statfsSync(dir.path);
      return s.bavail * s.bsize;
    },
    remove: () => {
      execFileSync('umount', ['-l', dir.path]);
      dir.remove();
    },
  };
}

export interface DiskFullResult {
  acked: string[];
  refusedWith507: number;
  otherRefusals: Record<number, number>;
  readsWhileFull: Record<string, number>;
  ackedAfterFreeing: number;
  missing: string[];
  hubAlive: boolean;
}

const READS = ['/health', '/api/v1/content?type=official&limit=5', '/api/v1/search?q=budget', '/api/v1/sync', '/'];

/**
 * Fills the hub's filesystem (a filler file leaving a little room), keeps submitting until
 * writes are refused, reads while full, frees the space, submits again, restarts the hub and
 * checks every acknowledged write.
 */
export async function diskFull(tally: FaultTally, opts: { sizeMB: number; writes: number }): Promise<DiskFullResult> {
  const fs = smallFilesystem(opts.sizeMB);
  const dataDir = join(fs.path, 'data');
  mkdirSync(dataDir);
  const result: DiskFullResult = { acked: [], refusedWith507: 0, otherRefusals: {}, readsWhileFull: {}, ackedAfterFreeing: 0, missing: [], hubAlive: false };
  try {
    const hub = await spawnHub(dataDir, HUB_ENV);
    try {
      const ack = async (i: number) => {
        const res = await postRegistration(hub.url, i);
        if (res.status === 201) result.acked.push((JSON.parse(res.body.toString()) as { id: string }).id);
        else if (res.status === 507) result.refusedWith507 += 1;
        else {
          result.otherRefusals[res.status] = (result.otherRefusals[res.status] ?? 0) + 1;
          if (res.status >= 500) {
            tally.fiveXX += 1;
            tally.problem(`disk full: POST /api/v1/submissions/registration answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
          }
        }
        return res.status;
      };
      for (let i = 0; i < 20; i += 1) await ack(i);
      execFileSync('fallocate', ['-l', String(Math.max(0, fs.free() - 48 * 1024)), join(fs.path, 'filler')]);
      tally.faultsInjected += 1;
      for (let i = 0; i < opts.writes; i += 1) await ack(100 + i);
      for (const path of READS) {
        const res = await send(hub.url, path);
        result.readsWhileFull[path] = res.status;
        if (res.status >= 500) {
          tally.fiveXX += 1;
          tally.problem(`disk full: GET ${path} answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
        }
      }
      rmSync(join(fs.path, 'filler'));
      const before = result.acked.length;
      for (let i = 0; i < 20; i += 1) await ack(100_000 + i);
      result.ackedAfterFreeing = result.acked.length - before;
      // Still answering, and still the same process, after all of it.
      await hubMemory(hub.url);
      result.hubAlive = hub.child.exitCode === null && hub.child.signalCode === null;
    } finally {
      await hub.stop();
    }
    // Nothing corrupted: the databases open cold, every acknowledged write is there, and the hub starts again.
    result.missing = await missingSubmissions(dataDir, result.acked);
    const again = await spawnHub(dataDir, HUB_ENV);
    await again.stop();
    tally.writesAcknowledged += result.acked.length;
    tally.writesFound += result.acked.length - result.missing.length;
    for (const id of result.missing) tally.problem(`disk full: acknowledged then lost: ${id}`);
    return result;
  } finally {
    fs.remove();
  }
}
