import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import {
  electronArgs,
  electronMissingError,
  findElectron,
  flipKioskFuses,
  kioskEntry,
  loadKioskConfig,
  refuseRoot,
  requireDisplay,
} from '../../kiosk/index.js';

/** `espace kiosk`: the kiosk on the Pi's screen (Electron); `espace kiosk fuses`: lock the Electron binary. */
export function registerKiosk(program: Command): void {
  const kiosk = program.command('kiosk').description("the full-screen kiosk on this machine's screen (Electron), and its set-up");

  kiosk
    .command('start', { isDefault: true })
    .description("start the kiosk, showing the hub's kiosk layout (the default)")
    .option('-c, --config <file>', 'configuration file (YAML); default ESPACE_CONFIG or ./espace.yaml')
    .action(async (opts: { config?: string }) => {
      // Read now so a wrong setting is reported here, not inside Electron.
      loadKioskConfig({ file: opts.config });
      const electron = findElectron(process.env.ELECTRON_PATH);
      if (!electron.found) throw electronMissingError(electron.why);
      refuseRoot(process.getuid?.());
      requireDisplay(process.env);
      const entry = kioskEntry();
      const env = { ...process.env, ...(opts.config ? { ESPACE_CONFIG: opts.config } : {}) };
      const child = spawn(electron.path, electronArgs(entry), { stdio: 'inherit', env });
      for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
      const code = await new Promise<number>((resolve) => {
        child.once('error', (err) => {
          process.stderr.write(`espace: cannot start Electron (${electron.path}): ${err.message}\n`);
          resolve(1);
        });
        child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
      });
      // The kiosk's exit code goes to systemd, which restarts it.
      process.exitCode = code;
    });

  kiosk
    .command('fuses')
    .description("flip the Electron fuses that close the kiosk's Electron to other uses (run after installing or upgrading Electron)")
    .action(async () => {
      const electron = findElectron(process.env.ELECTRON_PATH);
      if (!electron.found) throw electronMissingError(electron.why);
      const wire = await flipKioskFuses(electron.path);
      const lines = Object.entries(wire).map(([name, state]) => `  ${name}: ${state}`);
      process.stdout.write(`Fuses of ${electron.path}:\n${lines.join('\n')}\n`);
    });
}
