import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import { browseHubs, type FoundHub } from '../../hub/index.js';

function table(hubs: FoundHub[]): string {
  const rows = [
    ['NAME', 'ID', 'ADDRESS', 'VERSION', 'STATUS', 'LAST SYNC'],
    ...hubs.map((h) => [
      h.name,
      h.id,
      h.url,
      h.version,
      h.status,
      h.lastSync === null ? 'unknown' : h.lastSync === 'never' ? 'never' : h.lastSync.slice(0, 16).replace('T', ' '),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()
    )
    .join('\n');
}

export function registerDiscover(program: Command): void {
  program
    .command('discover')
    .description('find the hubs on this network (mDNS _espace-hub._tcp)')
    .option('--json', 'machine-readable output')
    .option('--timeout <seconds>', 'how long to listen', '3')
    .option('--interface <address>', 'listen on the interface with this IPv4 address only (default: all)')
    .action(async (opts: { json?: boolean; timeout: string; interface?: string }) => {
      const seconds = Number(opts.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120)
        throw new AppError(400, 'bad-timeout', '--timeout is a number of seconds between 0 and 120, for example --timeout 5');
      const hubs = await browseHubs(seconds * 1000, opts.interface);
      if (opts.json) process.stdout.write(JSON.stringify(hubs, null, 2) + '\n');
      else if (hubs.length === 0)
        process.stdout.write(
          `no hub answered in ${seconds} s: is this laptop on the space's Wi-Fi? Try a longer --timeout, or open http://espace.home.arpa/\n`
        );
      else process.stdout.write(table(hubs) + '\n');
    });
}
