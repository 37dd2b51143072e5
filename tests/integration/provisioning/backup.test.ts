import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../hub/index.js';
import { closeDatabases, openDatabases } from '../../../hub/index.js';
import { runCli } from '../../support/cli.js';
import { tempDir } from '../../support/hub.js';

/** The nightly backup and the one-command restore, on a real PouchDB data directory. */
describe("espace backup: the hub's data to a stick and back", () => {
  let dir: { path: string; remove(): void };
  let dataDir: string;
  let stick: string;
  let config: string;
  before(() => {
    dir = tempDir('espace-backup-');
    dataDir = join(dir.path, 'data');
    stick = join(dir.path, 'stick');
    config = join(dir.path, 'espace.yaml');
    writeFileSync(config, `hubId: kayes-01\ndataDir: ${dataDir}\nseedDemo: false\n`);
  });
  after(() => dir.remove());

  async function put(id: string): Promise<void> {
    const dbs = await openDatabases(dataDir, silentLogger());
    try {
      await dbs.submissions.put({ _id: id, type: 'feedback' });
    } finally {
      await closeDatabases(dbs);
    }
  }
  async function ids(): Promise<string[]> {
    const dbs = await openDatabases(dataDir, silentLogger());
    try {
      return (await dbs.submissions.allDocs()).rows.map((r) => r.id);
    } finally {
      await closeDatabases(dbs);
    }
  }

  it('backs up, keeps the newest few, and restores with one command, keeping the replaced data aside', async () => {
    await put('kayes-01:feedback:0001');
    const first = await runCli(['backup', 'usb', stick, '--config', config, '--keep', '2']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /backed up .* to .*espace-backups\/kayes-01-\d{8}-\d{6}\.tar\.gz/);
    const backups = () => readdirSync(join(stick, 'espace-backups')).sort();
    assert.equal(backups().length, 1);
    assert.ok(!backups().some((f) => f.endsWith('.part')));

    // After the backup, the hub takes a new submission; then the card "dies" and is restored.
    await put('kayes-01:feedback:0002');
    assert.deepEqual(await ids(), ['kayes-01:feedback:0001', 'kayes-01:feedback:0002']);
    const archive = join(stick, 'espace-backups', backups()[0]!);
    const restored = await runCli(['backup', 'restore', archive, '--config', config]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(await ids(), ['kayes-01:feedback:0001'], "the data is the backup's");
    const kept = /the data it replaced is in (\S+)/.exec(restored.stdout)?.[1];
    assert.ok(kept && existsSync(kept), restored.stdout);
    assert.equal(statSync(dataDir).mode & 0o777, 0o750);

    // Two more backups with --keep 2: only the newest two stay (names carry the second).
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await runCli(['backup', 'usb', stick, '--config', config, '--keep', '2'])).code, 0);
    }
    assert.equal(backups().length, 2);
  });

  it('refuses a truncated backup and changes nothing; without a stick says what to do', async () => {
    const before = await ids();
    const bad = join(dir.path, 'bad.tar.gz');
    const good = join(stick, 'espace-backups', readdirSync(join(stick, 'espace-backups')).sort().at(-1)!);
    copyFileSync(good, bad);
    truncateSync(bad, Math.floor(statSync(bad).size / 2));
    const r = await runCli(['backup', 'restore', bad, '--config', config]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not a readable backup .*nothing was changed/);
    assert.deepEqual(await ids(), before);
    // No stick labelled ESPACE-BACKUP on this machine: the nightly run is quiet, a person is told.
    const quiet = await runCli(['backup', 'usb', '--if-present', '--config', config]);
    assert.equal(quiet.code, 0);
    assert.match(quiet.stdout, /no stick labelled ESPACE-BACKUP/);
    const told = await runCli(['backup', 'usb', '--config', config]);
    assert.equal(told.code, 1);
    assert.match(told.stderr, /label one .*ESPACE-BACKUP/);
  });
});
