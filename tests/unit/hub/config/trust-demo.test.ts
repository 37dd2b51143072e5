import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../../../hub/config/index.js';
import { startHub } from '../../../../hub/main.js';
import { tempDir, testConfig } from '../../../support/hub.js';

/** Issue #20, item 9: the demo key's private half is public, so a hub must not trust it by default. */
describe('trustDemoKey', () => {
  it('is off by default, on only in the demo without a file, off again as soon as a file is used', () => {
    const dir = tempDir();
    try {
      assert.equal(loadConfig({ env: {} }).trustDemoKey, false, 'any tool loading the config');
      assert.equal(loadConfig({ env: {}, demo: true }).trustDemoKey, true, 'the demo make start runs');
      const file = join(dir.path, 'espace.yaml');
      writeFileSync(file, 'hubId: nioro-01\n');
      assert.equal(loadConfig({ file, env: {}, demo: true }).trustDemoKey, false, 'a configuration file: off');
      writeFileSync(file, 'hubId: nioro-01\ntrustDemoKey: true\n');
      assert.equal(loadConfig({ file, env: {}, demo: true }).trustDemoKey, true, 'unless the file says so');
    } finally {
      dir.remove();
    }
  });

  it('warns at start when it is on', async () => {
    const dir = tempDir();
    const messages: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) messages.push((JSON.parse(line) as { msg: string }).msg);
        cb();
      },
    });
    try {
      const hub = await startHub(testConfig(dir.path, { trustDemoKey: true }), pino({ level: 'warn' }, sink));
      await hub.close();
      assert.ok(
        messages.some((m) => /trustDemoKey is on/.test(m) && /private half/.test(m)),
        messages.join('\n')
      );
      messages.length = 0;
      const quiet = await startHub(testConfig(dir.path, { trustDemoKey: false }), pino({ level: 'warn' }, sink));
      await quiet.close();
      assert.ok(!messages.some((m) => /trustDemoKey/.test(m)));
    } finally {
      dir.remove();
    }
  });
});
