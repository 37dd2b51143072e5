import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tempDir } from '../support/hub.js';

const require = createRequire(import.meta.url);

interface Level {
  open(cb: (err?: Error) => void): void;
  batch(ops: { type: 'put'; key: string; value: string }[], options: { sync: boolean }, cb: (err?: Error) => void): void;
  close(cb: (err?: Error) => void): void;
}
const leveldown = require('leveldown') as (location: string) => Level;

const call = (fn: (cb: (err?: Error) => void) => void) => new Promise<void>((ok, ko) => fn((err) => (err ? ko(err) : ok())));

/**
 * The floor under registrations: PouchDB's LevelDB writes one batch at a time and the hub
 * fsyncs each (durable-leveldown.ts), so at most one group commit is on its way to disk at
 * once. Times sync'd LevelDB batches of `docs` registration-sized values in a fresh db on
 * the same file system as the bench's data dirs; the median, in ms.
 */
export async function fsyncFloorMs(docs: number, batches = 40): Promise<number> {
  const dir = tempDir('espace-bench-fsync-');
  const db = leveldown(join(dir.path, 'db'));
  try {
    await call((cb) => db.open(cb));
    const value = 'x'.repeat(600);
    const times: number[] = [];
    for (let b = 0; b < batches; b += 1) {
      const ops = Array.from({ length: docs }, (_, i) => ({ type: 'put' as const, key: `k${b}-${i}`, value }));
      const t0 = performance.now();
      await call((cb) => db.batch(ops, { sync: true }, cb));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return Math.round(times[Math.floor(times.length / 2)]! * 100) / 100;
  } finally {
    await call((cb) => db.close(cb));
    dir.remove();
  }
}
