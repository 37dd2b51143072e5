import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UserStore } from '../../../hub/auth/index.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/hub.js';

describe('espace user', () => {
  let dir: { path: string; remove(): void };
  const user = (args: string[], input = '') => runCli(['user', '--data-dir', dir.path, ...args], { input, env: { ESPACE_CONFIG: '' } });
  before(() => {
    dir = tempDir('espace-user-cli-');
  });
  after(() => dir.remove());

  it('adds, lists, changes and removes accounts, reading passwords from standard input only', async () => {
    const add = await user(['add', 'aminata', '--role', 'facilitator'], 'sikasso-2026\n');
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /account aminata \(facilitator\) created/);
    assert.equal((await user(['add', 'moussa', '--role', 'technician'], 'kita-bamako\n')).code, 0);

    const list = await user(['list']);
    assert.match(list.stdout, /^aminata +facilitator/m);
    assert.match(list.stdout, /^moussa +technician/m);
    assert.doesNotMatch(list.stdout + add.stdout + add.stderr, /sikasso-2026/);
    const json = JSON.parse((await user(['list', '--json'])).stdout) as { username: string }[];
    assert.deepEqual(
      json.map((u) => u.username),
      ['aminata', 'moussa']
    );
    assert.doesNotMatch(readFileSync(join(dir.path, 'users.json'), 'utf8'), /sikasso-2026/);

    assert.equal((await user(['passwd', 'aminata'], 'nioro-du-sahel\n')).code, 0);
    const store = new UserStore(dir.path);
    assert.ok(await store.verifyPassword('aminata', 'nioro-du-sahel'));
    assert.equal(await store.verifyPassword('aminata', 'sikasso-2026'), null);

    assert.equal((await user(['remove', 'moussa'])).code, 0);
    assert.deepEqual(
      (await store.list()).map((u) => u.username),
      ['aminata']
    );
  });

  it('explains what is wrong', async () => {
    const noPassword = await user(['add', 'fatou']);
    assert.equal(noPassword.code, 1);
    assert.match(noPassword.stderr, /^espace: password for fatou expected on standard input/m);
    const badRole = await user(['add', 'fatou', '--role', 'admin'], 'whatever-123\n');
    assert.match(
      badRole.stderr,
      /^espace: the role is "technician", "facilitator", "voice" \(a studio volunteer\) or "official" \(an elected official who answers proposals and updates plans\), not "admin"/m
    );
    const ghost = await user(['passwd', 'ghost'], 'whatever-123\n');
    assert.match(ghost.stderr, /^espace: there is no account "ghost"/m);
  });
});
