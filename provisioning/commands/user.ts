import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import { ROLES, UserStore, type Role } from '../../hub/index.js';
import { loadHubConfig } from './hub-config.js';
import { readNewPassword } from './secret-input.js';

interface StoreOptions {
  config?: string;
  dataDir?: string;
}

function store(opts: StoreOptions): UserStore {
  return new UserStore(loadHubConfig(opts).dataDir);
}

export function registerUser(program: Command): void {
  const user = program
    .command('user')
    .description('accounts of technicians and facilitators on this hub (passwords are read from the terminal or standard input, never printed)')
    .option('-c, --config <file>', 'hub configuration; default ESPACE_CONFIG, ./espace.yaml, or /etc/espace/espace.yaml on a provisioned Pi')
    .option('--data-dir <dir>', "the hub's data directory, instead of the one in the configuration");
  const common = () => user.opts<StoreOptions>();

  user
    .command('add <username>')
    .description('create an account')
    .option('--role <role>', ROLES.join(' or '), 'facilitator')
    .action(async (username: string, opts: { role: string }) => {
      if (!(ROLES as readonly string[]).includes(opts.role))
        throw new AppError(
          422,
          'invalid-role',
          `the role is "technician", "facilitator", "voice" (a studio volunteer) or "official" (an elected official who answers proposals and updates plans), not "${opts.role}"`
        );
      const users = store(common());
      const password = await readNewPassword(`password for ${username}`);
      const u = await users.add(username, opts.role as Role, password);
      process.stdout.write(`account ${u.username} (${u.role}) created\n`);
    });

  user
    .command('list')
    .description('list the accounts')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const list = await store(common()).list();
      if (opts.json) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no accounts yet: add one with "espace user add NAME --role technician"\n');
        return;
      }
      const w = Math.max(8, ...list.map((u) => u.username.length));
      process.stdout.write(`${'USER'.padEnd(w)}  ${'ROLE'.padEnd(11)}  CHANGED\n`);
      for (const u of list) process.stdout.write(`${u.username.padEnd(w)}  ${u.role.padEnd(11)}  ${u.updatedAt.slice(0, 16).replace('T', ' ')}\n`);
    });

  user
    .command('passwd <username>')
    .description('set a new password')
    .action(async (username: string) => {
      const users = store(common());
      if (!(await users.get(username))) throw new AppError(404, 'no-such-user', `there is no account "${username}"; see "espace user list"`);
      await users.setPassword(username, await readNewPassword(`new password for ${username}`));
      process.stdout.write(`password of ${username} changed\n`);
    });

  user
    .command('unlock <username>')
    .description('let an account log in again at once from every address, forgetting its failed logins (works while the hub runs)')
    .action(async (username: string) => {
      await store(common()).unlock(username);
      process.stdout.write(`failed logins of ${username} forgotten: it can log in again now, from any address\n`);
    });

  user
    .command('remove <username>')
    .description('delete an account')
    .action(async (username: string) => {
      await store(common()).remove(username);
      process.stdout.write(`account ${username} removed\n`);
    });
}
