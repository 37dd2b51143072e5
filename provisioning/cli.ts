#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isAppError } from '../content/index.js';
import { hubVersion } from '../hub/version.js';
import { registerStart } from './commands/start.js';
import { registerCentral } from './commands/central.js';
import { registerSync } from './commands/sync.js';
import { registerProvision } from './commands/provision.js';
import { registerUser } from './commands/user.js';
import { registerDoctor } from './commands/doctor.js';
import { registerContent } from './commands/content.js';
import { registerPublish } from './commands/publish.js';
import { registerKiosk } from './commands/kiosk.js';
import { registerIndicators } from './commands/indicators.js';
import { registerDiscover } from './commands/discover.js';
import { registerFleet } from './commands/fleet.js';
import { registerUsb } from './commands/usb.js';

/**
 * The one `espace` command line. Each command lives in commands/<name>.ts and registers
 * itself here. Errors carry the sentence to print; the exit code is non-zero.
 */
export function buildProgram(): Command {
  const program = new Command('espace')
    .description('Espace Connecté: the hub, the kiosk and the technician tools')
    .version(hubVersion())
    .showHelpAfterError('(run "espace --help" for the list of commands)');
  registerStart(program);
  registerCentral(program);
  registerSync(program);
  registerProvision(program);
  registerUser(program);
  registerDoctor(program);
  registerContent(program);
  registerPublish(program);
  registerKiosk(program);
  registerIndicators(program);
  registerDiscover(program);
  registerFleet(program);
  registerUsb(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
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
