import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ESPACE_BIN, projectRoot } from '../../hub/config/index.js';
import { bundleIsFresh } from '../../provisioning/bundle.js';

const LOCK = 'dist/bundle.lock';
/** A lock older than this was left by a killed bundling. */
const STALE_LOCK_MS = 120_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The `espace` command the tests spawn: the bundle that production runs (ESPACE_BIN, written by
 * `make build`), bundled again first if the compiled modules changed since (after a bare
 * `npx tsc`), so that a test never runs older code than dist/ holds. Test files running in
 * parallel bundle once: the others wait for the first one's lock.
 */
export function espaceBin(root: string = projectRoot()): string {
  const lock = join(root, LOCK);
  while (!bundleIsFresh(root)) {
    try {
      mkdirSync(lock);
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmdirSync(lock);
      } catch {
        // Gone meanwhile: the other bundling finished.
      }
      sleep(200);
      continue;
    }
    try {
      if (!bundleIsFresh(root)) {
        execFileSync(process.execPath, [join(root, 'dist/provisioning/bundle.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
        if (!bundleIsFresh(root)) throw new Error(`${ESPACE_BIN} is still older than its inputs once bundled again`);
      }
    } finally {
      rmdirSync(lock);
    }
  }
  return join(root, ESPACE_BIN);
}

/**
 * The `espace` command of another checkout (a bench's BEFORE tree): its bundle, or its compiled
 * command line if it has none (a build from before the bundle); this tree's is espaceBin().
 */
export function espaceBinOf(root: string): string {
  if (root === projectRoot()) return espaceBin(root);
  return existsSync(join(root, ESPACE_BIN)) ? join(root, ESPACE_BIN) : join(root, 'dist/provisioning/cli.js');
}
