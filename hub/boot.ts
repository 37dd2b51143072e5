/**
 * The hub's light entry, beside index.ts, for `espace start` and the command line's own start:
 * the configuration (as validated last time, when nothing changed), the logger, the version and startHub, without loading the rooms the
 * barrel re-exports (the console's parts, sync, the doctor...). Loading modules is most of a
 * start on a Pi's core: main loads the rest itself once the first search can be answered.
 */
import type { Config } from './config/index.js';
import type { Logger } from './log/index.js';
import type { RunningHub } from './main.js';

export { loadConfigCached, type CachedConfig, type Config } from './config/boot.js';
export { createLogger, deferredLogger, loadLogger, type Logger } from './log/index.js';
export { hubVersion } from './version.js';
export { hubAddresses } from './addresses.js';
export type { RunningHub };

/**
 * Opens storage, builds the app and listens (hub/main.ts). Loaded on call, so the command
 * line's other commands do not load the hub to add a user or read a status.
 */
export async function startHub(config: Config, log: Logger): Promise<RunningHub> {
  const { startHub: start } = await import('./main.js');
  return start(config, log);
}
