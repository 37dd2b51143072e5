import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError, importPack, trustedKeysOf } from '../../content/index.js';
import { closeDatabases, MediaStore, openDatabases, projectRoot, silentLogger, type Databases } from '../../hub/index.js';
import { SECRETS_PATH } from '../render/index.js';
import { bundleSecretFrom, exportBundle, findFiles, findMount, loadIntoCentral, openBundle, readBundleHeader, readEnvFile } from '../usb/index.js';
import { centralCredentials } from './fleet.js';
import { loadHubConfig } from './hub-config.js';
import { readSecret } from './secret-input.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

interface HubOptions {
  config?: string;
  dataDir?: string;
}

/** The hub's databases; LevelDB admits one process, so the hub must be stopped. */
async function openHubDatabases(dataDir: string): Promise<Databases> {
  try {
    return await openDatabases(dataDir, silentLogger());
  } catch (e) {
    throw new AppError(
      409,
      'databases-busy',
      `cannot open the databases in ${dataDir} (${(e as Error).message.split('\n')[0]}): stop the hub first ("sudo systemctl stop espace-hub"), then start it again afterwards`
    );
  }
}

/** A bar on a terminal; a line per pack otherwise (logs, scripts). */
function packProgress(name: string): { onProgress: (e: { phase: string; done: number; total: number }) => void; stop(): void } {
  if (!process.stdout.isTTY) return { onProgress() {}, stop() {} };
  const bar = new SingleBar(
    { format: `${name.padEnd(24).slice(0, 24)} {phase} [{bar}] {percentage}%`, hideCursor: true, stream: process.stdout },
    Presets.shades_classic
  );
  let started = false;
  return {
    onProgress(e) {
      if (!started) {
        bar.start(Math.max(e.total, 1), 0, { phase: e.phase });
        started = true;
      }
      bar.setTotal(Math.max(e.total, 1));
      bar.update(Math.min(e.done, Math.max(e.total, 1)), { phase: e.phase.padEnd(6) });
    },
    stop: () => started && bar.stop(),
  };
}

export function registerUsb(program: Command): void {
  const usb = program.command('usb').description('carry content packs in and submissions out on a USB stick');

  usb
    .command('import [mount]')
    .description('import every signed content pack (*.espack) found on the stick (the hub must be stopped)')
    .option('-c, --config <file>', 'hub configuration; default ESPACE_CONFIG, ./espace.yaml, or /etc/espace/espace.yaml')
    .option('--data-dir <dir>', "the hub's data directory")
    .action(async (mount: string | undefined, opts: HubOptions) => {
      const dir = mount ?? findMount();
      const packs = findFiles(dir, '.espack');
      if (packs.length === 0) throw new AppError(404, 'no-packs', `no content pack (*.espack) on ${dir}, nor one folder down`);
      const config = loadHubConfig(opts);
      const keys = trustedKeysOf(config, projectRoot());
      const dbs = await openHubDatabases(config.dataDir);
      const failed: string[] = [];
      try {
        const target = { content: dbs.content, media: dbs.media, store: new MediaStore(config.dataDir) };
        for (const [i, file] of packs.entries()) {
          const progress = packProgress(basename(file));
          try {
            const r = await importPack(file, target, { trustedKeys: keys, onProgress: progress.onProgress });
            progress.stop();
            out(
              `[${i + 1}/${packs.length}] ${basename(file)}: ${r.status === 'unchanged' ? `${r.name} ${r.version} already installed` : `${r.status} ${r.name} ${r.version} — ${r.docs} docs, ${r.media} media`}`
            );
          } catch (e) {
            progress.stop();
            // One bad pack does not stop the others; each import is all or nothing.
            failed.push(basename(file));
            out(`[${i + 1}/${packs.length}] ${basename(file)}: REFUSED — ${e instanceof AppError ? e.details : (e as Error).message}`);
          }
        }
      } finally {
        await closeDatabases(dbs);
      }
      if (failed.length)
        throw new AppError(422, 'packs-refused', `${failed.length} of ${packs.length} packs were refused (${failed.join(', ')}); the others are imported`);
    });

  usb
    .command('export [mount]')
    .description('write the submissions central has not confirmed into one sealed bundle on the stick (the hub must be stopped)')
    .option('-c, --config <file>', 'hub configuration; default ESPACE_CONFIG, ./espace.yaml, or /etc/espace/espace.yaml')
    .option('--data-dir <dir>', "the hub's data directory")
    .option('--secrets <file>', 'where the hub keeps its secrets', SECRETS_PATH)
    .action(async (mount: string | undefined, opts: HubOptions & { secrets: string }) => {
      const dir = mount ?? findMount();
      const config = loadHubConfig(opts);
      const file = readEnvFile(opts.secrets);
      const secret = bundleSecretFrom({
        bundleKey: process.env.ESPACE_BUNDLE_KEY ?? file.ESPACE_BUNDLE_KEY,
        username: config.central.username,
        password: config.central.password ?? file.ESPACE_CENTRAL_PASSWORD,
      });
      const dbs = await openHubDatabases(config.dataDir);
      try {
        const r = await exportBundle(dbs, config.hubId, secret, dir);
        out(`${r.counts.submissions ?? 0} submissions and ${r.counts.fleet ?? 0} heartbeat sealed into ${r.path} (${Math.ceil(r.bytes / 1024)} KB)`);
        out('carry it to a machine that reaches central and run: espace usb load-central <file> --central <url>');
      } finally {
        await closeDatabases(dbs);
      }
    });

  usb
    .command('load-central <file>')
    .description(
      "load a bundle into central; loading it twice, or after sync, duplicates nothing (credentials: the hub's central account, from ESPACE_CENTRAL_USERNAME/PASSWORD or asked)"
    )
    .requiredOption('--central <url>', 'central CouchDB, e.g. https://central.example.ml/')
    .action((path: string, opts: { central: string }) => loadBundleIntoCentral(path, opts.central));
}

/** `espace usb load-central` and `espace central import-bundle`: one bundle into central, idempotently. */
export async function loadBundleIntoCentral(path: string, centralUrl: string): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new AppError(404, 'bundle-missing', `cannot read ${path}; check the path`);
  }
  const { header } = readBundleHeader(bytes);
  const creds = await centralCredentials();
  if (!creds)
    throw new AppError(
      401,
      'no-credentials',
      "set ESPACE_CENTRAL_USERNAME and ESPACE_CENTRAL_PASSWORD (the hub's central account), or run this on a terminal to be asked"
    );
  const bundleKey =
    header.key.source === 'bundle-key' ? (process.env.ESPACE_BUNDLE_KEY ?? (await readSecret('bundle key of this space (base64): '))) : undefined;
  const { content } = openBundle(bytes, bundleSecretFrom({ bundleKey, ...creds }));
  const r = await loadIntoCentral(content, header.hubId, centralUrl, creds);
  out(
    `bundle from ${header.hubId} (${header.createdAt}): ${r.written} written, ${r.skipped} already in central${r.refused.length ? `, ${r.refused.length} refused` : ''}`
  );
  for (const x of r.refused) out(`  refused ${x.db}/${x.id}: ${x.reason}`);
  if (r.refused.length) throw new AppError(422, 'bundle-partly-refused', `central refused ${r.refused.length} docs (see above); the rest is loaded`);
}
