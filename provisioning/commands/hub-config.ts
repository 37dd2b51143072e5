import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../../hub/index.js';
import { CONFIG_PATH } from '../render/index.js';

/**
 * The configuration of the hub on this machine, for the commands a technician runs beside it:
 * --config, else ESPACE_CONFIG, else ./espace.yaml (development), else the provisioned
 * /etc/espace/espace.yaml. Undefined when there is none at all.
 */
export function hubConfigFile(explicit?: string): string | undefined {
  return explicit ?? process.env.ESPACE_CONFIG ?? ['espace.yaml', CONFIG_PATH].find((f) => existsSync(f));
}

export function loadHubConfig(opts: { config?: string; dataDir?: string }): Config {
  return loadConfig({ file: hubConfigFile(opts.config), overrides: opts.dataDir ? { dataDir: opts.dataDir } : {} });
}
