#!/usr/bin/env node
import type { Command } from 'commander';
import { isAppError } from '../content/boot.js';
import { hubVersion } from '../hub/boot.js';
import './pino-paths.js';

type Register = (program: Command) => void;

/**
 * Every command, by name, with the modules that define it. Only the modules of the command
 * being run are loaded (the hub's `espace start` must not pay for the kiosk's, central's or
 * the doctor's libraries on a Pi's slow core); help and unknown names load them all.
 */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  start: async () => [(await import('./commands/start.js')).registerStart],
  central: async () => [(await import('./commands/central.js')).registerCentral, (await import('./commands/review.js')).registerReview],
  sync: async () => [(await import('./commands/sync.js')).registerSync],
  provision: async () => [(await import('./commands/provision.js')).registerProvision],
  user: async () => [(await import('./commands/user.js')).registerUser],
  doctor: async () => [(await import('./commands/doctor.js')).registerDoctor],
  discover: async () => [(await import('./commands/discover.js')).registerDiscover],
  fleet: async () => [(await import('./commands/fleet.js')).registerFleet],
  usb: async () => [(await import('./commands/usb.js')).registerUsb],
  backup: async () => [(await import('./commands/backup.js')).registerBackup],
  content: async () => [
    (await import('./commands/content.js')).registerContent,
    (await import('./commands/publish.js')).registerPublish,
    (await import('./commands/review.js')).registerCoverage,
  ],
  kiosk: async () => [(await import('./commands/kiosk.js')).registerKiosk],
  indicators: async () => [(await import('./commands/indicators.js')).registerIndicators],
  tls: async () => [(await import('./commands/tls.js')).registerTls],
};

/**
 * The one `espace` command line. Each command lives in commands/<name>.ts and registers
 * itself through the table above. Errors carry the sentence to print; the exit code is non-zero.
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const { Command } = await import('commander');
  const program = new Command('espace')
    .description('Espace Connecté: the hub, the kiosk and the technician tools')
    .version(hubVersion())
    .showHelpAfterError('(run "espace --help" for the list of commands)');
  const wanted = argv[2];
  const names = wanted && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) for (const register of await COMMANDS[name]!()) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    // `espace start` as the unit runs it, without commander (see plainStartOptions).
    if (argv[2] === 'start') {
      const { plainStartOptions, runStart } = await import('./commands/start.js');
      const opts = plainStartOptions(argv.slice(3));
      if (opts) {
        await runStart(opts);
        return 0;
      }
    }
    const program = (await buildProgram(argv)).exitOverride();
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof (await import('commander')).CommanderError) return e.exitCode;
    if (isAppError(e)) {
      process.stderr.write(`espace: ${e.details}\n`);
      return e.status === 2 ? 2 : 1;
    }
    process.stderr.write(`espace: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
if (code !== 0) process.exitCode = code;
