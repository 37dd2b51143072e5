import type { Command } from 'commander';
import { addIndicatorsCommand } from './indicators.js';
import { AppError } from '../../content/index.js';
import { assessFleet, DEFAULT_THRESHOLDS, readFleetDocs, type Credentials, type HubStanding } from '../fleet/index.js';
import { readLine, readSecret } from './secret-input.js';

/** Credentials from the environment, else asked on the terminal; never from argv. */
export async function centralCredentials(): Promise<Credentials | null> {
  const username = process.env.ESPACE_CENTRAL_USERNAME;
  const password = process.env.ESPACE_CENTRAL_PASSWORD;
  if (username && password) return { username, password };
  if (!process.stdin.isTTY) return null;
  const u = username || (await readLine('central user name: '));
  return { username: u, password: await readSecret(`password for ${u} on central: `) };
}

function ago(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const h = (now.getTime() - Date.parse(iso)) / 3600_000;
  return h < 1 ? `${Math.max(0, Math.round(h * 60))} min ago` : h < 48 ? `${h.toFixed(0)} h ago` : `${(h / 24).toFixed(0)} days ago`;
}

function table(hubs: HubStanding[], now: Date): string {
  const gb = (n: number | null) => (n === null ? '?' : `${(n / 1024 ** 3).toFixed(1)} GB`);
  const rows = [
    ['HUB', 'SPACE', 'VERSION', 'SEEN', 'LAST SYNC', 'DISK FREE', 'TEMP', 'MARKS'],
    ...hubs.map((h) => [
      h.hubId,
      h.spaceName,
      h.version,
      ago(h.at, now),
      ago(h.lastSync, now),
      gb(h.freeBytes),
      h.temperatureC === null ? '?' : `${h.temperatureC} °C`,
      h.marks.join(', '),
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

export function registerFleet(program: Command): void {
  // Options after `indicators` are that subcommand's own (both have --central).
  program.enablePositionalOptions();
  const fleet = program
    .command('fleet')
    .enablePositionalOptions()
    .description(
      'list every hub as central knows it, marking the stale, hot, full and never-synced ones (credentials: ESPACE_CENTRAL_USERNAME/PASSWORD or asked)'
    )
    .option('--central <url>', 'central CouchDB, e.g. https://central.example.ml/ (required)')
    .option('--stale-hours <hours>', 'a hub silent for longer is stale', String(DEFAULT_THRESHOLDS.staleHours))
    .option('--json', 'machine-readable output')
    .action(async (opts: { central?: string; staleHours: string; json?: boolean }) => {
      if (!opts.central) throw new AppError(400, 'central-required', 'say which central to read: espace fleet --central https://central.example.ml/');
      const staleHours = Number(opts.staleHours);
      if (!Number.isFinite(staleHours) || staleHours <= 0)
        throw new AppError(400, 'bad-stale-hours', '--stale-hours is a number of hours, for example --stale-hours 48');
      const docs = await readFleetDocs(opts.central, await centralCredentials());
      const now = new Date();
      const hubs = assessFleet(docs, now, { ...DEFAULT_THRESHOLDS, staleHours });
      if (opts.json) {
        process.stdout.write(JSON.stringify(hubs, null, 2) + '\n');
        return;
      }
      if (hubs.length === 0) {
        process.stdout.write('no hub has sent a heartbeat to central yet\n');
        return;
      }
      const flagged = hubs.filter((h) => h.marks.length > 0).length;
      process.stdout.write(`${table(hubs, now)}\n\n${hubs.length} hub(s), ${flagged} needing attention\n`);
    });
  // `espace fleet indicators --central URL`: the same figures as the console, across all hubs.
  addIndicatorsCommand(fleet);
}
