import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliArgs, root } from './espace-cli.js';
import { tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { truncate } from './tamper.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function espace(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('espace content (the command line)', () => {
  const work = tempDir('espace-pack-cli-');
  const keys = join(work.path, 'keys');
  const pack = join(work.path, 'fixture.espack');
  let env: Record<string, string>;

  before(() => {
    writeFixturePack(join(work.path, 'src'));
    // A config of our own, so a developer's ./espace.yaml never changes what the test sees.
    writeFileSync(join(work.path, 'espace.yaml'), `dataDir: ${join(work.path, 'data')}\nlogLevel: silent\n`);
    env = { ESPACE_CONFIG: join(work.path, 'espace.yaml') };
  });
  after(() => work.remove());

  it('keygen writes a private key only its owner can read, and never prints it', async () => {
    const run = await espace(['content', 'keygen', '--out', keys, '--id', 'kayes-test'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(join(keys, 'kayes-test.key')).mode & 0o777, 0o600);
    const privatePem = readFileSync(join(keys, 'kayes-test.key'), 'utf8');
    assert.match(privatePem, /BEGIN PRIVATE KEY/);
    assert.doesNotMatch(run.stdout + run.stderr, /PRIVATE KEY/);
    assert.ok(!run.stdout.includes(privatePem.split('\n')[1]!));
    assert.match(run.stdout, /trustedKeys:\n {2}- id: kayes-test\n {4}publicKey: [A-Za-z0-9+/]{43}=/);

    const again = await espace(['content', 'keygen', '--out', keys, '--id', 'kayes-test'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^espace: .*kayes-test\.key already exists/);
  });

  it('build signs a pack; a missing key is a clear error', async () => {
    const run = await espace(['content', 'build', join(work.path, 'src'), '-o', pack, '--key', join(keys, 'kayes-test.key')], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /built .*fixture\.espack: fixture 1\.0\.0, 5 docs, 2 media files, \d+ bytes, signed with key 'kayes-test'/);
    assert.match(run.stdout, /media\/unused\.png/);
    assert.ok(existsSync(pack));

    const missing = await espace(['content', 'build', join(work.path, 'src'), '-o', join(work.path, 'x.espack'), '--key', join(keys, 'nope.key')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^espace: cannot read the private key .*nope\.key/);
    assert.ok(!existsSync(join(work.path, 'x.espack')));
  });

  it('verify accepts a trusted signer, refuses others, and prints plain progress off a terminal', async () => {
    const untrusted = await espace(['content', 'verify', pack], env);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /^espace: the pack is signed with key 'kayes-test' which this hub does not trust; add its public key to trustedKeys/);

    const ok = await espace(['content', 'verify', pack, '--trust', join(keys, 'kayes-test.pub')], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^verifying: 100%$/m);
    assert.match(ok.stdout, /ok: fixture 1\.0\.0, signed with key 'kayes-test'/);

    const quiet = await espace(['content', 'verify', pack, '--trust', join(keys, 'kayes-test.pub'), '--quiet'], env);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stdout, '');
  });

  it('import installs once, then changes nothing; list shows it; a damaged pack fails with a sentence', async () => {
    const publicKey = readFileSync(join(keys, 'kayes-test.pub'), 'utf8');
    const trusting = { ...env, ESPACE_TRUSTED_KEYS: JSON.stringify([{ id: 'kayes-test', publicKey }]) };
    const first = await espace(['content', 'import', pack, '--quiet'], trusting);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '');
    const second = await espace(['content', 'import', pack], trusting);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /fixture 1\.0\.0 is already installed; nothing changed/);
    const list = await espace(['content', 'list'], trusting);
    assert.match(list.stdout, /^fixture 1\.0\.0 {2}key 'kayes-test' {2}5 docs, 2 media/m);

    truncate(pack, join(work.path, 'cut.espack'), 0.5);
    const cut = await espace(['content', 'import', join(work.path, 'cut.espack'), '--data-dir', join(work.path, 'other-data')], trusting);
    assert.equal(cut.code, 1);
    assert.match(cut.stderr, /^espace: the pack file is damaged or incomplete .*copy it again/);
  });
});
