import { z } from 'zod';
import { KIOSK_DEFAULTS, KIOSK_ENV, KioskSection, loadLayered, LogLevel, type LoadOptions } from '../content/index.js';

/**
 * What the kiosk reads of the configuration file: its own section and the log level. The
 * rest of the file is the hub's (the hub validates all of it; the kiosk ignores it).
 */
export const KioskConfigSchema = z.object({ logLevel: LogLevel, kiosk: KioskSection });
export type KioskConfig = z.infer<typeof KioskConfigSchema>;

/** Reads the kiosk's configuration once, from the same file and variables as the hub's. */
export function loadKioskConfig(options: LoadOptions = {}): KioskConfig {
  return loadLayered(KioskConfigSchema, { logLevel: 'info', kiosk: KIOSK_DEFAULTS }, KIOSK_ENV, options);
}
