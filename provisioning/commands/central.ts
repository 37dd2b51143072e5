import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import { registerCommunity } from './community.js';
import { configBlock, enrollHub, setupCentral, startStandInCentral, type Credentials } from '../central/index.js';

/** Admin credentials from ESPACE_CENTRAL_ADMIN_USER/PASSWORD, else asked on the terminal — never from argv. */
export async function adminCredentials(): Promise<Credentials> {
  const username = process.env.ESPACE_CENTRAL_ADMIN_USER;
  const password = process.env.ESPACE_CENTRAL_ADMIN_PASSWORD;
  if (username && password) return { username, password };
  if (!process.stdin.isTTY) {
    throw new AppError(2, 'admin-credentials-missing', 'set ESPACE_CENTRAL_ADMIN_USER and ESPACE_CENTRAL_ADMIN_PASSWORD (central administrator), or run this in a terminal to be asked');
  }
  const user = username ?? (await ask('central administrator name: ', false));
  const pass = password ?? (await ask(`password of ${user}: `, true));
  return { username: user, password: pass };
}

function ask(question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stdout.write(s);
    };
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer.trim());
    }),
  );
}

export function registerCentral(program: Command): void {
  const central = program.command('central').description('central CouchDB: a stand-in for development, setup, hub enrollment, USB bundles');
  registerCommunity(central);

  central
    .command('import-bundle <file>')
    .description("load a hub's USB bundle (espace usb export) into central; twice, or after sync, duplicates nothing (credentials: ESPACE_CENTRAL_USERNAME/PASSWORD or asked)")
    .requiredOption('--central <url>', 'central CouchDB, e.g. https://central.example.ml/')
    .action(async (file: string, opts: { central: string }) => (await import('./usb.js')).loadBundleIntoCentral(file, opts.central));

  central
    .command('dev')
    .description('start a stand-in central (pouchdb-server) on loopback, set up and ready for hubs')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v), 5984)
    .option('-d, --data <dir>', 'where its databases live', './var/central')
    .action(async (opts: { port: number; data: string }) => {
      const admin = {
        username: process.env.ESPACE_CENTRAL_ADMIN_USER ?? 'admin',
        password: process.env.ESPACE_CENTRAL_ADMIN_PASSWORD ?? 'espace-dev',
      };
      const server = await startStandInCentral({ dir: opts.data, port: opts.port, admin });
      const report = await setupCentral(server.url, admin);
      process.stdout.write(
        `stand-in central listening on ${server.url} (data in ${opts.data})\n` +
          `administrator: ${admin.username} (password from ESPACE_CENTRAL_ADMIN_PASSWORD, or "espace-dev" the first time)\n` +
          `databases set up: ${report.created.length} created, ${report.designDocsUpdated.length} design docs written\n` +
          `enroll a hub with: espace central enroll --hub kayes-01 --url ${server.url}\n`,
      );
      const stop = () => server.stop().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  central
    .command('setup')
    .description('create the databases, their security and validation rules on central (safe to run again)')
    .requiredOption('--url <url>', "central's URL, e.g. https://central.example.org")
    .action(async (opts: { url: string }) => {
      const report = await setupCentral(opts.url, await adminCredentials());
      const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
      process.stdout.write(
        `central at ${opts.url} is set up.\n  databases created: ${list(report.created)}\n  security set: ${list(report.securitySet)}\n  design docs written: ${list(report.designDocsUpdated)}\n`,
      );
    });

  central
    .command('enroll')
    .description("create a hub's user on central and print the config block for the hub")
    .requiredOption('--hub <id>', 'the hub id, e.g. kayes-01')
    .requiredOption('--url <url>', "central's URL as the hub will reach it")
    .action(async (opts: { hub: string; url: string }) => {
      const enrollment = await enrollHub(opts.url, await adminCredentials(), opts.hub);
      process.stdout.write(`# hub ${opts.hub} enrolled; put this in the hub's espace.yaml (keep the password secret):\n${configBlock(enrollment)}`);
    });
}
