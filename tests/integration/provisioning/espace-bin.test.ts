import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { hubVersion } from '../../../hub/boot.js';
import { BUNDLE_BUILD_ID, ESPACE_BIN, projectRoot } from '../../../hub/config/index.js';
import { bundleIsFresh, bundleOptions, mapStack } from '../../../provisioning/bundle.js';
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
    // ASCII, so that V8 holds each chunk's source one byte a character (bundle-ascii.ts).
    const dir = join(root, 'dist', 'bundle');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
      assert.doesNotMatch(readFileSync(join(dir, name), 'latin1'), /[\u007f-\uffff]/, name);
    }
  });

  it("maps the bundle's stack traces to the TypeScript on demand", () => {
    const dir = tempDir('espace-bin-trace-');
    try {
      // A data dir under a file: an unexpected error, printed with its stack.
      writeFileSync(join(dir.path, 'file'), '');
      const env = {
        PATH: process.env.PATH ?? '',
        ESPACE_DATA_DIR: join(dir.path, 'file', 'data'),
        ESPACE_PORT: '0',
        ESPACE_SEED_DEMO: 'false',
        ESPACE_MDNS: 'false',
      };
      const res = spawnSync(process.execPath, [espaceBin(), 'start'], { env, encoding: 'utf8', timeout: 30_000 });
      assert.equal(res.status, 1);
      assert.match(res.stderr, /espace: unexpected error: Error: ENOTDIR[\s\S]*dist\/bundle\/[\w-]+\.js:\d+:\d+/);
      const mapped = mapStack(res.stderr);
      assert.doesNotMatch(mapped, /dist\/bundle/);
      assert.match(mapped, /at startHub \(hub\/main\.ts:\d+:\d+\)/);
      assert.match(mapped, /at async main \(provisioning\/cli\.ts:\d+:\d+\)/);
      // The same through the command, as a technician pipes a log into it.
      const piped = execFileSync(process.execPath, [join(root, 'dist/provisioning/bundle.js'), '--map-stack'], { input: res.stderr, encoding: 'utf8' });
      assert.equal(piped, mapped);
    } finally {
      dir.remove();
    }
  });

  it('keeps the named exports of a CommonJS package imported late (espace kiosk fuses)', () => {
    const dir = tempDir('espace-bin-fuses-');
    try {
      // An executable that is not Electron: @electron/fuses itself says so.
      const electron = join(dir.path, 'electron');
      writeFileSync(electron, '#!/bin/sh\n', { mode: 0o755 });
      const res = spawnSync(process.execPath, [espaceBin(), 'kiosk', 'fuses'], {
        env: { PATH: process.env.PATH ?? '', ELECTRON_PATH: electron },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(res.status, 1, res.stderr);
      assert.match(res.stderr, /^espace: cannot set the fuses of .*electron: Could not find sentinel/);
    } finally {
      dir.remove();
    }
  });

  it("takes Node's built-ins through require, each export read only where it is imported", async () => {
    const dir = tempDir('espace-bin-builtins-');
    try {
      // ES modules, as the project's own package.json says.
      writeFileSync(join(dir.path, 'package.json'), '{"type":"module"}');
      writeFileSync(
        join(dir.path, 'entry.js'),
        [
          "import fs, { readFileSync } from 'node:fs';",
          "import { parseArgs } from 'node:util';",
          "import * as zlib from 'node:zlib';",
          "import { createRequire } from 'node:module';",
          'const req = createRequire(import.meta.url);',
          'console.log(JSON.stringify({',
          "  sameDefault: fs === req('node:fs'),",
          "  sameNamed: readFileSync === req('node:fs').readFileSync,",
          "  parsed: parseArgs({ args: ['--x', '1'], options: { x: { type: 'string' } } }).values.x,",
          "  gzip: zlib.gunzipSync(zlib.gzipSync(Buffer.from('ok'))).toString(),",
          '}));',
        ].join('\n')
      );
      await build(bundleOptions(dir.path, 'entry.js', join(dir.path, 'out'), 'entry'));
      const out = execFileSync(process.execPath, [join(dir.path, 'out', 'entry.js')], { encoding: 'utf8', timeout: 30_000 });
      assert.deepEqual(JSON.parse(out), { sameDefault: true, sameNamed: true, parsed: '1', gzip: 'ok' });
      const code = readdirSync(join(dir.path, 'out'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(dir.path, 'out', f), 'utf8'))
        .join('\n');
      // No copy of a whole built-in (esbuild's __toESM reads every export's descriptor), and
      // the exports nobody imports are not read.
      assert.doesNotMatch(code, /__toESM\(/);
      assert.match(code, /pick\d*\("parseArgs"\)/);
      assert.doesNotMatch(code, /pick\d*\("(writeFileSync|inspect|deflateSync)"\)/);
    } finally {
      dir.remove();
    }
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

  it('validates the configuration again when the bundle is another build (its build id)', async () => {
    const dir = tempDir('espace-bin-');
    const cacheFile = join(dir.path, 'cache', 'config.json');
    // The project again, its bundle a copy of its own (the rest linked: assets, node_modules).
    const project = join(dir.path, 'project');
    mkdirSync(join(project, 'dist'), { recursive: true });
    for (const name of readdirSync(root)) if (name !== 'dist') symlinkSync(join(root, name), join(project, name));
    for (const name of readdirSync(join(root, 'dist'))) if (name !== 'bundle') symlinkSync(join(root, 'dist', name), join(project, 'dist', name));
    cpSync(join(root, 'dist', 'bundle'), join(project, 'dist', 'bundle'), { recursive: true });
    const bin = join(project, ESPACE_BIN);
    const data = join(dir.path, 'data');
    const start = async () => (await spawnHub(data, { ESPACE_CONFIG_CACHE: cacheFile, ESPACE_PORT: '0' }, { bin })).stop();
    const written = () => {
      const st = statSync(cacheFile);
      return [st.ino, st.mtimeMs];
    };
    try {
      await start();
      const first = written();
      await start();
      assert.deepEqual(written(), first, 'the same build: read back');
      // Another build: the same chunks' names and sizes could not tell it, its id does.
      writeFileSync(join(project, 'dist', 'bundle', BUNDLE_BUILD_ID), 'another build');
      await start();
      const second = written();
      assert.notDeepEqual(second, first, 'validated again and kept anew');
      await start();
      assert.deepEqual(written(), second);
    } finally {
      dir.remove();
    }
  });

  it('writes a build id that is the hash of the bundle it sits in', () => {
    const bundleDir = join(root, 'dist', 'bundle');
    const id = readFileSync(join(bundleDir, BUNDLE_BUILD_ID), 'utf8');
    assert.match(id, /^[0-9a-f]{64}$/);
    const hash = createHash('sha256');
    for (const name of readdirSync(bundleDir).sort()) {
      if (name === BUNDLE_BUILD_ID) continue;
      hash.update(`${name}\0`);
      hash.update(readFileSync(join(bundleDir, name)));
    }
    assert.equal(hash.digest('hex'), id);
  });
});
