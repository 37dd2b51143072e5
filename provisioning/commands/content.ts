import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import {
  buildPack,
  generateSigningKeyPair,
  importPack,
  listInstalledPacks,
  loadSigningKey,
  readPack,
  trustedKeysOf,
  type PackProgress,
  type PackTarget,
  type TrustedKey,
} from '../../content/index.js';
import { closeDatabases, loadConfig, MediaStore, openDatabases, projectRoot, silentLogger, type Databases } from '../../hub/index.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

const PHASE_LABEL = { build: 'building', verify: 'verifying', write: 'writing' } as const;

/** A bar on a terminal, a line per quarter otherwise (logs, CI), nothing with --quiet. */
function progressReporter(quiet: boolean): { onProgress?: PackProgress; stop(): void } {
  if (quiet) return { stop() {} };
  if (process.stdout.isTTY) {
    let bar: SingleBar | undefined;
    let phase = '';
    return {
      onProgress(e) {
        if (e.phase !== phase) {
          bar?.stop();
          phase = e.phase;
          bar = new SingleBar(
            { format: `${PHASE_LABEL[e.phase].padEnd(9)} [{bar}] {percentage}%`, hideCursor: true, stream: process.stdout },
            Presets.shades_classic
          );
          bar.start(Math.max(e.total, 1), 0);
        }
        bar!.update(Math.min(e.done, Math.max(e.total, 1)));
      },
      stop: () => bar?.stop(),
    };
  }
  const printed = new Map<string, number>();
  return {
    onProgress(e) {
      const quarter = e.total > 0 ? Math.floor((e.done / e.total) * 4) : 4;
      if (quarter === 0 || (printed.get(e.phase) ?? 0) >= quarter) return;
      printed.set(e.phase, quarter);
      out(`${PHASE_LABEL[e.phase]}: ${quarter * 25}%`);
    },
    stop() {},
  };
}

/** The keys this machine trusts: the config's (with the demo key when trustDemoKey), plus --trust files. */
function trustedKeys(opts: { config?: string; trust?: string[] }): TrustedKey[] {
  const config = loadConfig({ file: opts.config });
  const extra = (opts.trust ?? []).map((file) => {
    try {
      return { id: basename(file).replace(/\.pub$/, ''), publicKey: readFileSync(file, 'utf8') };
    } catch {
      throw new AppError(2, 'pack-key-missing', `cannot read the public key ${file}; check the path given to --trust`);
    }
  });
  return [...trustedKeysOf(config, projectRoot()), ...extra];
}

async function openTarget(dataDir: string): Promise<{ target: PackTarget; dbs: Databases }> {
  let dbs: Databases;
  try {
    dbs = await openDatabases(dataDir, silentLogger());
  } catch (e) {
    throw new AppError(
      1,
      'databases-busy',
      `cannot open the databases in ${dataDir} (${(e as Error).message.split('\n')[0]}); if the hub is running, stop it first or upload the pack from the console`
    );
  }
  return { dbs, target: { content: dbs.content, media: dbs.media, store: new MediaStore(dataDir) } };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerContent(program: Command): void {
  const content = program.command('content').description('content packs: make signing keys, build, verify and import packs');

  content
    .command('keygen')
    .description('make an Ed25519 key pair for signing packs (the private key is written with mode 0600 and never printed)')
    .requiredOption('--out <dir>', 'folder to write <id>.key and <id>.pub into')
    .option('--id <name>', 'key id, named in every pack it signs', `espace-${new Date().toISOString().slice(0, 10)}`)
    .action((opts: { out: string; id: string }) => {
      if (!/^[A-Za-z0-9._-]{1,60}$/.test(opts.id)) throw new AppError(2, 'pack-bad-key', `key id "${opts.id}" must be 1–60 letters, digits, ".", "_" or "-"`);
      const dir = resolve(opts.out);
      const keyFile = join(dir, `${opts.id}.key`);
      const pubFile = join(dir, `${opts.id}.pub`);
      for (const f of [keyFile, pubFile])
        if (existsSync(f)) throw new AppError(1, 'key-exists', `${f} already exists; choose another --id or --out (keys are never overwritten)`);
      mkdirSync(dir, { recursive: true });
      const pair = generateSigningKeyPair();
      writeFileSync(keyFile, pair.privatePem, { mode: 0o600, flag: 'wx' });
      writeFileSync(pubFile, pair.publicPem, { mode: 0o644, flag: 'wx' });
      out(`private key: ${keyFile} (keep it secret, off the hubs, never in git)`);
      out(`public key:  ${pubFile}`);
      out('hubs that should accept packs signed with it need in their config:');
      out(`trustedKeys:\n  - id: ${opts.id}\n    publicKey: ${pair.publicRaw}`);
    });

  content
    .command('build')
    .description('build a signed pack from a pack folder (pack.yaml, Markdown, YAML, media/)')
    .argument('<dir>', 'the pack folder')
    .requiredOption('-o, --output <file>', 'the pack file to write, e.g. dist/packs/kayes.espack')
    .requiredOption('--key <file>', 'private key made by "espace content keygen"')
    .option('--key-id <id>', 'key id (default: the key file name without .key)')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (dir: string, opts: { output: string; key: string; keyId?: string; quiet?: boolean }) => {
      const key = loadSigningKey(opts.key, opts.keyId);
      const progress = progressReporter(opts.quiet === true);
      try {
        const result = await buildPack(dir, key, opts.output, { onProgress: progress.onProgress });
        progress.stop();
        if (opts.quiet) return;
        out(
          `built ${result.file}: ${result.manifest.name} ${result.manifest.version}, ${result.docs} docs, ${result.media} media files, ${result.bytes} bytes, signed with key '${key.id}'`
        );
        if (result.unusedMedia.length > 0)
          out(`note: ${result.unusedMedia.length} file(s) in media/ are used by no doc and were left out: ${result.unusedMedia.slice(0, 5).join(', ')}`);
      } finally {
        progress.stop();
      }
    });

  content
    .command('verify')
    .description('check a pack: signature by a trusted key, every hash and size, every doc')
    .argument('<file>', 'the pack file')
    .option('-c, --config <file>', 'hub configuration whose trustedKeys to use (default ESPACE_CONFIG or ./espace.yaml)')
    .option('--trust <pubfile>', 'also trust this public key file (repeatable)', collect)
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (file: string, opts: { config?: string; trust?: string[]; quiet?: boolean }) => {
      const progress = progressReporter(opts.quiet === true);
      try {
        const pack = await readPack(file, trustedKeys(opts), { onProgress: progress.onProgress });
        progress.stop();
        if (!opts.quiet) {
          const m = pack.manifest;
          out(
            `ok: ${m.name} ${m.version}${m.demo ? ' (demo)' : ''}, signed with key '${m.keyId}' on ${m.createdAt}, ${pack.docs.length} docs, ${pack.media.length} media files`
          );
        }
      } finally {
        progress.stop();
      }
    });

  content
    .command('import')
    .description("import a pack into the hub's databases (all or nothing; the hub must be stopped)")
    .argument('<file>', 'the pack file')
    .option('-c, --config <file>', 'hub configuration (default ESPACE_CONFIG or ./espace.yaml)')
    .option('--data-dir <dir>', 'the hub data dir (default: the config dataDir)')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (file: string, opts: { config?: string; dataDir?: string; quiet?: boolean }) => {
      const config = loadConfig({ file: opts.config, overrides: opts.dataDir ? { dataDir: opts.dataDir } : {} });
      const keys = trustedKeysOf(config, projectRoot());
      const { target, dbs } = await openTarget(config.dataDir);
      const progress = progressReporter(opts.quiet === true);
      try {
        const r = await importPack(file, target, { trustedKeys: keys, onProgress: progress.onProgress });
        progress.stop();
        if (opts.quiet) return;
        if (r.status === 'unchanged') out(`${r.name} ${r.version} is already installed; nothing changed`);
        else
          out(`${r.status} ${r.name} ${r.version} (key '${r.keyId}'): ${r.docs} docs and ${r.media} media files; ${r.written} written, ${r.removed} removed`);
      } finally {
        progress.stop();
        await closeDatabases(dbs);
      }
    });

  content
    .command('list')
    .description('list the packs installed on a hub')
    .option('-c, --config <file>', 'hub configuration (default ESPACE_CONFIG or ./espace.yaml)')
    .option('--data-dir <dir>', 'the hub data dir (default: the config dataDir)')
    .action(async (opts: { config?: string; dataDir?: string }) => {
      const config = loadConfig({ file: opts.config, overrides: opts.dataDir ? { dataDir: opts.dataDir } : {} });
      const { target, dbs } = await openTarget(config.dataDir);
      try {
        const packs = await listInstalledPacks(target.content);
        if (packs.length === 0) out('no pack installed');
        for (const p of packs)
          out(`${p.name} ${p.version}${p.demo ? ' (demo)' : ''}  key '${p.keyId}'  ${p.counts.docs} docs, ${p.counts.media} media  installed ${p.installedAt}`);
      } finally {
        await closeDatabases(dbs);
      }
    });
}
