import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../../../content/index.js';
import { loadConfig, maskSecrets } from '../../../../hub/config/index.js';
import { tempDir } from '../../../support/hub.js';
import { espaceBin } from '../../../support/espace-bin.js';

describe('configuration', () => {
  it('layers defaults, file and environment, environment last', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'espace.yaml');
      writeFileSync(file, 'hubId: nioro-01\nspaceName: Espace de Nioro\nport: 9000\ncentral:\n  url: http://127.0.0.1:5984\n');
      const config = loadConfig({ file, env: { ESPACE_PORT: '9100', ESPACE_CENTRAL_PASSWORD: 's3cret' } });
      assert.equal(config.hubId, 'nioro-01');
      assert.equal(config.port, 9100);
      assert.equal(config.central.url, 'http://127.0.0.1:5984');
      assert.equal(config.central.password, 's3cret');
      assert.equal(config.region, 'kayes', 'defaults fill the rest');
      assert.equal(maskSecrets(config).central.password, '***');
    } finally {
      dir.remove();
    }
  });

  it('names the field and the fix when a value is wrong', () => {
    const bad = (env: Record<string, string>, pattern: RegExp) =>
      assert.throws(
        () => loadConfig({ env }),
        (e: unknown) => e instanceof AppError && pattern.test(e.details)
      );
    bad({ ESPACE_PORT: 'huit-mille' }, /ESPACE_PORT="huit-mille" is not a number/);
    bad({ ESPACE_PORT: '70000' }, /port/);
    bad({ ESPACE_HUB_ID: 'Kayes 01' }, /hubId: must be 2–40 lowercase letters/);
    bad({ ESPACE_MDNS: 'maybe' }, /ESPACE_MDNS="maybe" is not true or false/);
    bad({ ESPACE_TRUSTED_KEYS: '[oops' }, /ESPACE_TRUSTED_KEYS is not valid JSON/);
  });

  it('refuses unknown keys in the file (a typo is not silently a default)', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'espace.yaml');
      writeFileSync(file, 'hubid: kayes-01\n');
      assert.throws(() => loadConfig({ file, env: {} }), /hubid/);
      writeFileSync(file, '- just\n- a list\n');
      assert.throws(() => loadConfig({ file, env: {} }), /key: value pairs/);
      assert.throws(() => loadConfig({ file: join(dir.path, 'missing.yaml'), env: {} }), /cannot read the config file/);
    } finally {
      dir.remove();
    }
  });

  it('stops `espace start` with the message and exit code 2, no stack trace', () => {
    const res = spawnSync(process.execPath, [espaceBin(), 'start'], {
      env: { PATH: process.env.PATH ?? '', ESPACE_PORT: 'abc', ESPACE_DATA_DIR: '/nonexistent-espace-test' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /^espace: ESPACE_PORT="abc" is not a number/m);
    assert.doesNotMatch(res.stderr, /at .*\.js:\d+/);
  });
});
