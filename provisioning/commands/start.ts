import type { Command } from 'commander';
import { createLogger, hubAddresses, loadConfigCached, startHub } from '../../hub/boot.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the hub (seeds the Kayes demo pack on first run)')
    .option('-c, --config <file>', 'configuration file (YAML); default ESPACE_CONFIG or ./espace.yaml')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v))
    .action(async (opts: { config?: string; port?: number }) => {
      // As validated last time when nothing changed (ESPACE_CONFIG_CACHE, set by the unit): zod loads only on a change.
      const { config, cache, error } = await loadConfigCached({ file: opts.config, overrides: opts.port !== undefined ? { port: opts.port } : {}, demo: true });
      const log = createLogger(config.logLevel);
      if (error) log.warn({ cache }, error);
      else log.debug({ cache }, 'configuration read');
      const hub = await startHub(config, log);
      const lines = hubAddresses(config, hub.port).map((u) => `  ${u}`);
      process.stdout.write(`\nEspace Connecté — ${config.spaceName} (${config.hubId}) is running. Open:\n${lines.join('\n')}\n\n`);
      const stop = (signal: string) => {
        log.info({ signal }, 'stopping');
        hub.close().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'error while stopping');
            process.exit(1);
          }
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
