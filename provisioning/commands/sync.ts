import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import { loadConfig, type RunResult, type SyncStatus } from '../../hub/index.js';

type Status = SyncStatus & { unconfirmedSubmissions: number };

async function callHub<T>(hub: string, path: string, method = 'GET'): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${hub.replace(/\/+$/, '')}${path}`, { method, headers: { Accept: 'application/json' } });
  } catch {
    throw new AppError(503, 'hub-unreachable', `cannot reach the hub at ${hub}; is it running (espace start)? Use --hub URL if it listens elsewhere`);
  }
  const body = (await res.json().catch(() => ({}))) as T & { details?: string };
  if (!res.ok) throw new AppError(res.status, 'hub-refused', body.details ?? `the hub answered HTTP ${res.status}`);
  return body;
}

const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : 'never');

/** The status as lines a technician reads on a terminal. */
export function formatStatus(s: Status): string {
  const lines = [
    `central: ${s.central ?? 'not configured'}${s.enabled ? '' : ' (sync disabled)'}`,
    `now: ${s.running ? 'syncing' : 'idle'}; next run ${when(s.nextRunAt)}; ${s.inWindow ? 'inside' : 'outside'} the window (${s.windows.map((w) => `${w.from}–${w.to}`).join(', ')})`,
    `data today (${s.budget.day}): ${mb(s.budget.bytesToday)} of ${mb(s.budget.bytesPerDay)}` +
      (s.throughputBytesPerSecond ? `; uplink about ${Math.round((s.throughputBytesPerSecond * 8) / 1000)} kbit/s` : ''),
    `submissions not yet confirmed in Bamako: ${s.unconfirmedSubmissions}`,
  ];
  for (const [name, c] of Object.entries(s.classes)) {
    // A class the status names may have used nothing today.
    const used = Object.hasOwn(s.budget.byClass, name) ? s.budget.byClass[name as keyof typeof s.budget.byClass] : 0;
    const pending = c.pending ? `${c.pending.items} pending${c.pending.bytes ? ` (${mb(c.pending.bytes)})` : ''}` : 'pending unknown';
    lines.push(
      `  ${name.padEnd(8)} last success ${when(c.lastSuccess)}; ${mb(used)} today; ${pending}${c.lastError ? `; last error: ${c.lastError.message}` : ''}`
    );
  }
  return lines.join('\n') + '\n';
}

export function registerSync(program: Command): void {
  const sync = program.command('sync').description("the hub's sync with central: status, or run it now");
  const hubOption = (c: Command) =>
    c.option('--hub <url>', 'the hub to ask (default: this Pi, on the configured port)').option('-c, --config <file>', 'configuration file');
  const hubUrl = (o: { hub?: string; config?: string }) => o.hub ?? `http://127.0.0.1:${loadConfig({ file: o.config }).port}`;

  hubOption(sync.command('status').description('per class: last success, data today against the budget, what is pending, the last error')).action(
    async (o: { hub?: string; config?: string }) => {
      process.stdout.write(formatStatus(await callHub<Status>(hubUrl(o), '/api/v1/sync')));
    }
  );

  hubOption(sync.command('now').description('sync now and wait for the end of the run')).action(async (o: { hub?: string; config?: string }) => {
    const hub = hubUrl(o);
    const { result } = await callHub<{ result: RunResult }>(hub, '/api/v1/sync/now?wait=1', 'POST');
    process.stdout.write(`sync ${result.ok ? 'done' : 'incomplete'}: ${mb(result.bytes)} on the wire\n`);
    process.stdout.write(formatStatus(await callHub<Status>(hub, '/api/v1/sync')));
    if (!result.ok) process.exitCode = 1;
  });
}
