import type { Command } from 'commander';
import { exitStatus, loadConfig, runChecks, type Check, type Config } from '../../hub/index.js';
import { hubConfigFile } from './hub-config.js';
import { CONFIG_PATH } from '../render/index.js';

const MARK: Record<Check['verdict'], string> = { ok: 'ok', warning: 'WARN', critical: 'CRIT', unknown: '--' };

function table(checks: Check[]): string {
  const w = Math.max(...checks.map((c) => c.label.length));
  return checks.map((c) => `${MARK[c.verdict].padEnd(4)}  ${c.label.padEnd(w)}  ${c.value}${c.advice ? `\n${' '.repeat(w + 8)}→ ${c.advice}` : ''}`).join('\n');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the hub and the Pi: temperature, power, disk, memory, clock, services, access point, central, last sync (exit 0 ok, 1 warning, 2 critical)'
    )
    .option('--url <url>', 'the hub to ask', 'http://127.0.0.1:8080')
    .option('-c, --config <file>', `hub configuration (default ESPACE_CONFIG, ./espace.yaml, or ${CONFIG_PATH})`)
    .option('--json', 'machine-readable output')
    .action(async (opts: { url: string; config?: string; json?: boolean }) => {
      const file = hubConfigFile(opts.config);
      const config: Config | undefined = file ? loadConfig({ file }) : undefined;
      const checks = await runChecks({ url: opts.url, config });
      const status = exitStatus(checks);
      if (opts.json) process.stdout.write(JSON.stringify({ status: ['ok', 'warning', 'critical'][status], checks }, null, 2) + '\n');
      else process.stdout.write(`${table(checks)}\n\n${['all good', 'warnings: see the advice above', 'CRITICAL: see the advice above'][status]}\n`);
      process.exitCode = status;
    });
}
