import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPack, listInstalledPacks, resumePackImport } from '../../../content/pack/index.js';
import { silentLogger } from '../../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases } from '../../../hub/storage/index.js';
import { cliArgs, root } from './espace-cli.js';
import { fixtureKey, tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';

const BULK = 1500;
const DOCS = 5 + BULK;

/** Runs `espace content import` and kills it (-9) as soon as it prints `line`; resolves whether it was killed. */
function importUntil(file: string, dataDir: string, trusted: string, line: RegExp): Promise<{ killed: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs, 'content', 'import', file, '--data-dir', dataDir], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ESPACE_CONFIG: '/dev/null', ESPACE_TRUST_DEMO_KEY: 'false', ESPACE_TRUSTED_KEYS: trusted },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!killed && line.test(stdout)) {
        killed = child.kill('SIGKILL');
      }
    });
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => resolve({ killed, stdout }));
  });
}

describe('kill -9 during an import: afterwards the pack is wholly there or not at all', () => {
  const work = tempDir('espace-pack-crash-');
  const key = fixtureKey('fixture-key');
  let file: string;
  let trusted: string;
  before(async () => {
    writeFixturePack(join(work.path, 'src'), { bulkDocuments: BULK });
    file = (await buildPack(join(work.path, 'src'), key.signing, join(work.path, 'big.espack'))).file;
    trusted = JSON.stringify([key.trusted]);
  });
  after(() => work.remove());

  async function state(dataDir: string, resume: boolean) {
    const dbs = await openDatabases(dataDir, silentLogger());
    try {
      const target = { content: dbs.content, media: dbs.media, store: new MediaStore(dataDir) };
      const resumed = resume ? (await resumePackImport(target)).action : undefined;
      return {
        docs: (await dbs.content.allDocs()).rows.length,
        media: (await dbs.media.allDocs()).rows.length,
        installed: (await listInstalledPacks(dbs.content)).length,
        resumed,
      };
    } finally {
      await closeDatabases(dbs);
    }
  }

  it('killed while writing docs: half there, then rolled forward to all of it', async () => {
    const dataDir = join(work.path, 'mid-write');
    const run = await importUntil(file, dataDir, trusted, /^writing: 25%$/m);
    assert.ok(run.killed, `the import should still have been running: ${run.stdout}`);
    const crashed = await state(dataDir, false);
    assert.ok(crashed.docs > 0 && crashed.docs < DOCS, `a real mid-import crash leaves some docs: ${crashed.docs}`);
    assert.equal(crashed.installed, 0);
    const resumed = await state(dataDir, true);
    assert.deepEqual(resumed, { docs: DOCS, media: 2, installed: 1, resumed: 'rolled-forward' });
  });

  it('killed right after verifying: nothing or everything, never a part', async () => {
    const dataDir = join(work.path, 'after-verify');
    await importUntil(file, dataDir, trusted, /^verifying: 100%$/m);
    const s = await state(dataDir, true);
    assert.ok(
      (s.docs === 0 && s.media === 0 && s.installed === 0) || (s.docs === DOCS && s.media === 2 && s.installed === 1),
      `partial state after resume: ${JSON.stringify(s)}`
    );
  });
});
