/**
 * The kiosk's Electron entry (`espace kiosk` starts Electron with this file): the only file
 * that loads Electron. It reads the configuration and the systemd variables once and hands
 * the real Electron API to main.ts.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, isAppError, projectRoot } from '../content/index.js';
import { loadKioskConfig } from './config.js';
import { detectDisplayBackend } from './display.js';
import type { ElectronApi } from './electron-api.js';
import { registerKioskScheme, startKiosk } from './main.js';
import { SystemdNotifier, watchdogIntervalMs } from '../content/index.js';

const electron = createRequire(import.meta.url)('electron') as ElectronApi | string;
if (typeof electron === 'string') {
  process.stderr.write('espace: this file runs inside Electron; start the kiosk with "espace kiosk"\n');
  process.exit(2);
}
// Before anything asynchronous: schemes and switches only count before the app is ready.
registerKioskScheme(electron);

let config;
try {
  config = loadKioskConfig();
} catch (e) {
  process.stderr.write(`espace: ${isAppError(e) ? e.details : (e as Error).message}\n`);
  electron.app.exit(2);
  throw e;
}
const log = createLogger(config.logLevel).child({ room: 'kiosk' });
const env = process.env;
startKiosk(electron, {
  config,
  log,
  display: detectDisplayBackend(env, log),
  notifier: new SystemdNotifier(env.NOTIFY_SOCKET, log),
  watchdogMs: watchdogIntervalMs(env.WATCHDOG_USEC),
  preloadPath: join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs'),
  pagesDir: join(projectRoot(), 'kiosk', 'pages'),
  electronVersion: process.versions.electron ?? null,
}).catch((err: unknown) => {
  log.fatal({ err }, 'kiosk failed to start');
  electron.app.exit(1);
});
