import type { Command } from 'commander';
import { AppError, trustedKeysOf } from '../../content/index.js';
import { loadConfig, projectRoot } from '../../hub/index.js';
import { publishPack, type Credentials } from '../central/index.js';
import { adminCredentials } from './central.js';

/** An editor's credentials (ESPACE_CENTRAL_EDITOR_USER/PASSWORD), else the administrator's (env or prompt). */
async function editorCredentials(): Promise<Credentials> {
  const username = process.env.ESPACE_CENTRAL_EDITOR_USER;
  const password = process.env.ESPACE_CENTRAL_EDITOR_PASSWORD;
  if (username && password) return { username, password };
  return adminCredentials();
}

/** Adds `espace content publish` to the content command (registered after it in cli.ts). */
export function registerPublish(program: Command): void {
  const content = program.commands.find((c) => c.name() === 'content') ?? program.command('content').description('content packs');
  content
    .command('publish')
    .description('load a signed pack into central (media first, then docs; unchanged docs are skipped)')
    .argument('<pack>', 'the pack file (.espack)')
    .requiredOption('--central <url>', "central's URL")
    .option('-c, --config <file>', 'configuration whose trustedKeys verify the pack')
    .action(async (pack: string, opts: { central: string; config?: string }) => {
      const keys = trustedKeysOf(loadConfig({ file: opts.config }), projectRoot());
      if (!keys.length) throw new AppError(2, 'no-trusted-keys', 'no trusted key to verify the pack; add the publisher key to trustedKeys in the config');
      const r = await publishPack(pack, opts.central, await editorCredentials(), keys);
      process.stdout.write(
        `published ${r.pack} ${r.version} to ${opts.central}: ${r.docsWritten} docs written, ${r.docsUnchanged} unchanged; ${r.mediaUploaded} media uploaded, ${r.mediaPresent} already there${r.removed.length ? `; ${r.removed.length} docs the previous version published removed` : ''}\n`
      );
    });
}
