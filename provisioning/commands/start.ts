import type { Command } from 'commander';
import { parseArgs } from 'node:util';
import { deferredLogger, hubAddresses, loadConfigCached, loadLogger, startHub, type RunningHub } from '../../hub/boot.js';

/** `espace start`'s options, read by commander (registerStart) or, when plain, without it (plainStartOptions). */
const OPTIONS = {
  config: { short: 'c', arg: 'file', description: 'configuration file (YAML); default ESPACE_CONFIG or ./espace.yaml' },
  port: { short: 'p', arg: 'port', description: 'port to listen on' },
} as const;

export interface StartOptions {
  config?: string;
  port?: number;
}

export function registerStart(program: Command): void {
  const command = program.command('start').description('start the hub (seeds the Kayes demo pack on first run)');
  command.option(`-${OPTIONS.config.short}, --config <${OPTIONS.config.arg}>`, OPTIONS.config.description);
  command.option(`-${OPTIONS.port.short}, --port <${OPTIONS.port.arg}>`, OPTIONS.port.description, (v) => Number(v));
  command.action(runStart);
}

/**
 * The options of `espace start ARGS` when they are plain (as the unit runs it: `start --config
 * FILE`), read without commander, whose loading is ~30 ms of a start on a Pi's core before the
 * first search; null for anything else (help, an unknown or malformed option, an argument), which
 * the command line then gives to commander, to answer as ever.
 */
export function plainStartOptions(args: string[]): StartOptions | null {
  let values: { config?: string; port?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { config: { type: 'string', short: OPTIONS.config.short }, port: { type: 'string', short: OPTIONS.port.short } },
      strict: true,
      allowPositionals: false,
    }));
  } catch {
    return null; // Not plain: commander reads it and says what is wrong.
  }
  return { config: values.config, port: values.port === undefined ? undefined : Number(values.port) };
}

/** Starts the hub, prints its addresses and stops it on SIGTERM or SIGINT. */
export async function runStart(opts: StartOptions): Promise<void> {
  // As validated last time when nothing changed (ESPACE_CONFIG_CACHE, set by the unit): zod loads only on a change.
  const { config, cache, error } = await loadConfigCached({ file: opts.config, overrides: opts.port !== undefined ? { port: opts.port } : {}, demo: true });
  // pino loads once the hub's first search can be answered (hub/main.ts); a failed start's lines are written before it says why.
  const log = deferredLogger(config.logLevel);
  if (error) log.warn({ cache }, error);
  else log.debug({ cache }, 'configuration read');
  let hub: RunningHub;
  try {
    hub = await startHub(config, log);
  } catch (e) {
    loadLogger(log, { sync: true });
    throw e;
  }
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
}
