import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The `espace` command as it runs: the one bundle of the compiled command line (`make build`
 * writes it with provisioning/bundle.ts), relative to the project's root. The systemd unit,
 * `make start` and the tests that spawn the command run this file, not dist/provisioning/cli.js.
 */
export const ESPACE_BIN = 'dist/bundle/espace.js';

/**
 * Beside the bundle's files: the SHA-256 of them all, written with them (a new build is a new
 * id), which the hub's kept configuration reads as the identity of the code that validated it
 * (hub/config/cached.ts) instead of the size and time of every chunk.
 */
export const BUNDLE_BUILD_ID = 'build-id';

/**
 * The project's root (where package.json is), whether running compiled from dist/ or from
 * source: assets (portal static files, message catalogs, the demo pack) are found from it.
 */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json)');
    dir = up;
  }
  root = dir;
  return dir;
}
