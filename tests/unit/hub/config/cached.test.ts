import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { AppError } from '../../../../content/index.js';
import { loadConfigCached } from '../../../../hub/config/boot.js';
import { loadConfig, projectRoot } from '../../../../hub/config/index.js';
import { tempDir } from '../../../support/hub.js';

const YAML = 'hubId: nioro-01\nspaceName: Espace de Nioro\nport: 9000\n';

/** A config file and a cache file in a fresh folder. */
function setup(yaml = YAML) {
  const dir = tempDir();
  const file = join(dir.path, 'espace.yaml');
  writeFileSync(file, yaml);
  return { dir, file, cacheFile: join(dir.path, 'cache', 'config.json') };
}

describe('the configuration kept for espace start', () => {
  it('validates and keeps it, then reads back the same configuration', async () => {
    const { dir, file, cacheFile } = setup();
    try {
      const env = { ESPACE_CENTRAL_PASSWORD: 's3cret', ESPACE_DATA_DIR: 'var-nioro' };
      const first = await loadConfigCached({ file, env, cacheFile });
      assert.equal(first.cache, 'miss');
      assert.equal(first.error, undefined);
      assert.equal(statSync(cacheFile).mode & 0o777, 0o600, 'the kept file holds secrets: the hub alone reads it');
      const second = await loadConfigCached({ file, env, cacheFile });
      assert.equal(second.cache, 'hit');
      assert.deepEqual(second.config, first.config);
      assert.deepEqual(second.config, JSON.parse(JSON.stringify(loadConfig({ file, env }))), "loadConfig's very result");
      assert.equal(second.config.dataDir, join(process.cwd(), 'var-nioro'), 'resolved as loadConfig resolves it');
    } finally {
      dir.remove();
    }
  });

  it('validates again when the file, the environment, the overrides or the code change', async () => {
    const { dir, file, cacheFile } = setup();
    try {
      const env = { ESPACE_PORT: '9100' };
      assert.equal((await loadConfigCached({ file, env, cacheFile })).cache, 'miss');
      assert.equal((await loadConfigCached({ file, env, cacheFile })).cache, 'hit');
      // The file: same size, other bytes.
      writeFileSync(file, YAML.replace('nioro-01', 'nioro-02'));
      const edited = await loadConfigCached({ file, env, cacheFile });
      assert.deepEqual([edited.cache, edited.config.hubId], ['miss', 'nioro-02']);
      const moved = await loadConfigCached({ file, env: { ESPACE_PORT: '9200' }, cacheFile });
      assert.deepEqual([moved.cache, moved.config.port], ['miss', 9200]);
      const overridden = await loadConfigCached({ file, env: { ESPACE_PORT: '9200' }, overrides: { port: 9300 }, cacheFile });
      assert.deepEqual([overridden.cache, overridden.config.port], ['miss', 9300]);
      const demo = await loadConfigCached({ file, env: { ESPACE_PORT: '9200' }, overrides: { port: 9300 }, demo: true, cacheFile });
      assert.equal(demo.cache, 'miss');
      assert.equal((await loadConfigCached({ file, env: { ESPACE_PORT: '9200' }, overrides: { port: 9300 }, demo: true, cacheFile })).cache, 'hit');
      // The code that validates: a new build of the schema's module.
      const schema = fileURLToPath(new URL('../../../../hub/config/schema.js', import.meta.url));
      const { atime, mtime } = statSync(schema);
      try {
        utimesSync(schema, atime, new Date(mtime.getTime() + 1000));
        const rebuilt = await loadConfigCached({ file, env: { ESPACE_PORT: '9200' }, overrides: { port: 9300 }, demo: true, cacheFile });
        assert.equal(rebuilt.cache, 'miss');
      } finally {
        utimesSync(schema, atime, mtime);
      }
    } finally {
      dir.remove();
    }
  });

  it('never serves a kept configuration once the file is wrong, and keeps only valid ones', async () => {
    const { dir, file, cacheFile } = setup();
    try {
      await loadConfigCached({ file, env: {}, cacheFile });
      const kept = readFileSync(cacheFile, 'utf8');
      writeFileSync(file, YAML.replace('port: 9000', 'port: huit-mille'));
      await assert.rejects(loadConfigCached({ file, env: {}, cacheFile }), (e: unknown) => e instanceof AppError && /port/.test(e.details) && e.status === 2);
      assert.equal(readFileSync(cacheFile, 'utf8'), kept, 'a wrong configuration is not kept');
      await assert.rejects(
        loadConfigCached({ file: join(dir.path, 'missing.yaml'), env: {}, cacheFile }),
        (e: unknown) => e instanceof AppError && e.reason === 'config-missing'
      );
    } finally {
      dir.remove();
    }
  });

  it('validates again over a torn or foreign cache file, and without one when none is given', async () => {
    const { dir, file, cacheFile } = setup();
    try {
      await loadConfigCached({ file, env: {}, cacheFile });
      writeFileSync(cacheFile, '{"key":"');
      assert.equal((await loadConfigCached({ file, env: {}, cacheFile })).cache, 'miss');
      assert.equal((await loadConfigCached({ file, env: {}, cacheFile })).cache, 'hit', 'rewritten whole');
      assert.equal((await loadConfigCached({ file, env: {} })).cache, 'off');
      assert.equal((await loadConfigCached({ file, env: { ESPACE_CONFIG_CACHE: cacheFile } })).cache, 'hit', 'ESPACE_CONFIG_CACHE names it');
    } finally {
      dir.remove();
    }
  });

  it('reads a kept configuration without loading zod, the schemas or the YAML parser', async () => {
    const { dir, file, cacheFile } = setup();
    try {
      await loadConfigCached({ file, env: {}, cacheFile });
      // A fresh process records every module it loads (module.register's hooks) while reading it back.
      const script = `
        import { register } from 'node:module';
        import { MessageChannel } from 'node:worker_threads';
        const { port1, port2 } = new MessageChannel();
        const loaded = [];
        port1.on('message', (url) => loaded.push(url));
        register('data:text/javascript,' + encodeURIComponent(
          'let port; export function initialize(d) { port = d.port; }' +
          'export async function load(url, context, next) { port.postMessage(url); return next(url, context); }'
        ), { data: { port: port2 }, transferList: [port2] });
        const { loadConfigCached } = await import(${JSON.stringify(new URL('../../../../hub/config/boot.js', import.meta.url).href)});
        const { cache } = await loadConfigCached({ file: ${JSON.stringify(file)}, env: {}, cacheFile: ${JSON.stringify(cacheFile)} });
        await new Promise((r) => setTimeout(r, 50));
        port1.close();
        process.stdout.write(JSON.stringify({ cache, loaded }));
      `;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot(), encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      const { cache, loaded } = JSON.parse(child.stdout) as { cache: string; loaded: string[] };
      assert.equal(cache, 'hit');
      assert.ok(
        loaded.some((url) => url.endsWith('/hub/config/cached.js')),
        'the hooks saw the modules'
      );
      for (const heavy of ['/node_modules/zod/', '/node_modules/yaml/', '/content/schema/content.js', '/hub/config/schema.js'])
        assert.equal(loaded.filter((url) => url.includes(heavy)).length, 0, `${heavy} not loaded: ${loaded.filter((u) => !u.startsWith('node:')).join(' ')}`);
    } finally {
      dir.remove();
    }
  });
});
