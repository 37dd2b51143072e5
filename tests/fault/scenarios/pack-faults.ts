import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildPack, listInstalledPacks, type SigningKey } from '../../../content/pack/index.js';
import { createLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { cliArgs, root } from '../../integration/content/espace-cli.js';
import { snapshot } from '../../integration/content/snapshot.js';
import { appendZeros, rewritePack } from '../../integration/content/tamper.js';
import { fixtureKey, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { spawnHub, tempDir } from '../../support/hub.js';
import type { FaultTally } from './tally.js';

export interface PackFixture {
  file: string;
  docs: number;
  trustedKeys: string;
  work: { path: string; remove(): void };
  /** The trusted key that signed it: hostile packs signed with it are what a leaked or careless signer makes. */
  signing?: SigningKey;
}

/** A signed pack big enough that an import takes a while (1 500 generated documents). */
export async function bigPack(bulk = 1500): Promise<PackFixture> {
  const work = tempDir('espace-fault-pack-');
  const key = fixtureKey('fault-key');
  writeFixturePack(join(work.path, 'src'), { bulkDocuments: bulk });
  const file = (await buildPack(join(work.path, 'src'), key.signing, join(work.path, 'big.espack'))).file;
  return { file, docs: 5 + bulk, trustedKeys: JSON.stringify([key.trusted]), work, signing: key.signing };
}

function cliEnv(trustedKeys: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', ESPACE_CONFIG: '/dev/null', ESPACE_TRUST_DEMO_KEY: 'false', ESPACE_TRUSTED_KEYS: trustedKeys };
}

/** `espace content import FILE --data-dir DIR`, killed with -9 after `killAfterMs` (or left to finish when undefined). */
export function runImport(
  file: string,
  dataDir: string,
  trustedKeys: string,
  killAfterMs?: number
): Promise<{ code: number | null; killed: boolean; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs, 'content', 'import', file, '--data-dir', dataDir, '--quiet'], {
      cwd: root,
      env: cliEnv(trustedKeys),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => (killed = child.kill('SIGKILL')), killAfterMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stderr, ms: performance.now() - t0 });
    });
  });
}

async function packState(dataDir: string): Promise<{ docs: number; installed: number }> {
  const dbs = await openDatabases(dataDir, createLogger('silent'));
  try {
    return { docs: (await dbs.content.allDocs()).rows.length, installed: (await listInstalledPacks(dbs.content)).length };
  } finally {
    await closeDatabases(dbs);
  }
}

/**
 * Power cuts during a pack import: kill -9 the import at a random moment, start the hub on
 * that data dir (it rolls a verified import forward), and check the pack is wholly there or
 * not at all. Returns the states seen, for the summary.
 */
export async function killDuringImport(tally: FaultTally, pack: PackFixture, opts: { cycles: number }): Promise<{ states: string[]; partial: string[] }> {
  const probe = tempDir('espace-fault-import-');
  const full = await runImport(pack.file, probe.path, pack.trustedKeys);
  probe.remove();
  if (full.code !== 0) throw new Error(`the fixture pack does not import: ${full.stderr}`);
  const states: string[] = [];
  const partial: string[] = [];
  for (let cycle = 0; cycle < opts.cycles; cycle += 1) {
    const dir = tempDir('espace-fault-import-');
    try {
      const at = Math.round(Math.random() * full.ms);
      const run = await runImport(pack.file, dir.path, pack.trustedKeys, at);
      if (run.killed) tally.faultsInjected += 1;
      const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_TRUSTED_KEYS: pack.trustedKeys, ESPACE_TRUST_DEMO_KEY: 'false' });
      await hub.stop();
      const s = await packState(dir.path);
      const whole = (s.docs === 0 && s.installed === 0) || (s.docs === pack.docs && s.installed === 1);
      states.push(`${at} ms: ${s.docs === 0 ? 'nothing' : s.docs === pack.docs ? 'all' : `${s.docs} docs`}`);
      if (!whole) {
        partial.push(`killed at ${at} ms: ${JSON.stringify(s)}`);
        tally.problem(`pack half-applied after kill -9 at ${at} ms and a restart: ${JSON.stringify(s)}`);
      }
    } finally {
      dir.remove();
    }
  }
  return { states, partial };
}

export interface HostileResult {
  name: string;
  code: number | null;
  message: string;
  unchanged: boolean;
}

/** Hostile packs offered by USB to a hub holding a good pack: each refused, the databases exactly as before. */
export async function hostilePacks(tally: FaultTally, pack: PackFixture): Promise<HostileResult[]> {
  const dir = tempDir('espace-fault-hostile-');
  const bad = (name: string) => join(pack.work.path, `${name}.espack`);
  try {
    const first = await runImport(pack.file, dir.path, pack.trustedKeys);
    if (first.code !== 0) throw new Error(first.stderr);
    const read = async () => {
      const dbs = await openDatabases(dir.path, createLogger('silent'));
      try {
        return JSON.stringify(await snapshot(dbs));
      } finally {
        await closeDatabases(dbs);
      }
    };
    const baseline = await read();
    appendZeros(pack.file, bad('bomb'), 100 * 1024 * 1024);
    await rewritePack(pack.file, bad('traversal'), (entries) => [...entries, { name: '../../../../tmp/espace-evil', body: Buffer.from('evil') }]);
    await rewritePack(pack.file, bad('absolute'), (entries) => [...entries, { name: '/etc/espace-evil', body: Buffer.from('evil') }]);
    await rewritePack(pack.file, bad('symlink'), (entries) => [...entries, { name: 'media/link', body: Buffer.alloc(0), type: 'symlink' }]);
    await rewritePack(pack.file, bad('wrong-hash'), (entries) =>
      entries.map((e) => (e.name.startsWith('media/') && e.body.length > 10 ? { ...e, body: Buffer.from(e.body.map((b, i) => (i === 5 ? b ^ 1 : b))) } : e))
    );
    await rewritePack(pack.file, bad('doc-swapped'), (entries) =>
      entries.map((e) =>
        e.name.startsWith('docs/') && e.name.endsWith('.json') ? { ...e, body: Buffer.from(e.body.toString().replace(/("fr":\s*")/, '$1X')) } : e
      )
    );
    const names = ['bomb', 'traversal', 'absolute', 'symlink', 'wrong-hash', 'doc-swapped'];
    if (pack.signing) {
      // Signed by the trusted key (issue #20): another pack's documents, and the same version altered.
      const signed = async (name: string, options: Parameters<typeof writeFixturePack>[1]) => {
        writeFixturePack(join(pack.work.path, `src-${name}`), { bulkDocuments: pack.docs - 5, ...options });
        await buildPack(join(pack.work.path, `src-${name}`), pack.signing!, bad(name));
        names.push(name);
      };
      await signed('foreign-docs', { name: 'evil' });
      await signed('same-version-altered', { summary: 'Un résumé changé après coup' });
      await signed('older-version', { version: '0.9.0' });
    }
    const out: HostileResult[] = [];
    for (const name of names) {
      const run = await runImport(bad(name), dir.path, pack.trustedKeys);
      tally.faultsInjected += 1;
      const unchanged = (await read()) === baseline;
      out.push({ name, code: run.code, message: run.stderr.trim().split('\n')[0]!.slice(0, 200), unchanged });
      if (run.code === 0 || !unchanged) tally.problem(`hostile pack "${name}" was ${run.code === 0 ? 'accepted' : 'refused but changed the databases'}`);
    }
    return out;
  } finally {
    dir.remove();
  }
}
