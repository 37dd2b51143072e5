import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { hubVersion } from '../../../hub/boot.js';
import { ESPACE_BIN, projectRoot } from '../../../hub/config/index.js';
import { bundleIsFresh, bundleOptions } from '../../../provisioning/bundle.js';
import { espaceBin } from '../../support/espace-bin.js';
import { spawnHub, tempDir } from '../../support/hub.js';

const root = projectRoot();

describe('the bundled espace command (provisioning/bundle.ts)', () => {
  it('is the fresh bundle of the compiled command line, and runs', () => {
    const bin = espaceBin();
    assert.equal(bin, join(root, ESPACE_BIN));
    assert.ok(bundleIsFresh(root));
    assert.equal(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim(), hubVersion());
    // Executable, for the /usr/local/bin/espace link of the image.
    assert.ok(statSync(bin).mode & 0o100);
  });

  it("keeps pino's transports working: their worker files are found from the bundle", async () => {
    // Under dist/, as the bundle is: node_modules is found from there.
    const out = mkdtempSync(join(root, 'dist', 'test-pino-bundle-'));
    const dir = tempDir('espace-pino-');
    try {
      await build(bundleOptions(root, 'dist/tests/support/pino-transport-entry.js', out, 'entry'));
      const file = join(dir.path, 'log');
      execFileSync(process.execPath, [join(out, 'entry.js'), file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
      assert.equal((JSON.parse(readFileSync(`${file}.one`, 'utf8')) as { msg: string }).msg, 'one target');
      assert.equal((JSON.parse(readFileSync(`${file}.many`, 'utf8')) as { msg: string }).msg, 'a list of targets');
    } finally {
      rmSync(out, { recursive: true, force: true });
      dir.remove();
    }
  });

  it('starts the hub with the configuration it kept: read back at the next start of the same bundle', async () => {
    const dir = tempDir('espace-bin-');
    const cacheFile = join(dir.path, 'cache', 'config.json');
    try {
      const env = { ESPACE_CONFIG_CACHE: cacheFile, ESPACE_PORT: '0' };
      const first = await spawnHub(dir.path, env);
      await first.stop();
      const kept = statSync(cacheFile);
      const second = await spawnHub(dir.path, env);
      const res = await fetch(`${second.url}/health`);
      assert.equal(res.status, 200);
      await second.stop();
      // A miss validates again and writes the file anew (cached.ts): the same file is a hit.
      const after = statSync(cacheFile);
      assert.deepEqual([after.ino, after.mtimeMs], [kept.ino, kept.mtimeMs]);
    } finally {
      dir.remove();
    }
  });
});
