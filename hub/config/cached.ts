import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_BUILD_ID, isNotFound } from '../../content/boot.js';
import type { HubLoadOptions } from './load.js';
import type { Config } from './schema.js';

/**
 * The configuration `espace start` validated last time, kept so that the next start with the
 * same inputs reads it back instead of loading zod and the YAML parser (~0.1 s of CPU here,
 * ~0.5 s on a Pi's core, before the first search). Sound because loadConfig is a function of
 * its inputs alone, and all of them are in the cache's key: the file's bytes and where it is,
 * every ESPACE_* variable, the overrides, the demo flag, the working directory (a relative
 * dataDir resolves against it), and the code that validates (the size and time of every
 * module of hub/config, content/config and content/schema, and zod's package.json; the
 * bundle's build id when it runs from the bundle). Any
 * change is a miss: the whole validation runs, its errors as before, and the result is kept.
 * Only a valid configuration is kept; the file is the hub's alone (0600: it holds the
 * secrets the configuration holds), outside the data dir so that backups leave it out
 * (systemd's CacheDirectory, ESPACE_CONFIG_CACHE in the unit).
 */
export interface CachedConfig {
  config: Config;
  /** `off`: no cache file given; `hit`: read back; `miss`: validated, then kept (unless `error` says why not). */
  cache: 'off' | 'hit' | 'miss';
  /** Why the validated configuration could not be kept (the hub starts anyway). */
  error?: string;
}

export interface CacheOptions extends HubLoadOptions {
  /** The cache file; default ESPACE_CONFIG_CACHE, none when unset. */
  cacheFile?: string;
}

const FORMAT = 2;
const here = dirname(fileURLToPath(import.meta.url));
/**
 * Whether this is tsc's output (dist/hub/config) rather than the bundle (provisioning/bundle.ts),
 * whose chunks hold the code that validates, zod with it, under names that change with it.
 */
const UNBUNDLED = basename(here) === 'config' && basename(dirname(here)) === 'hub';
/** The folders whose modules validate the configuration: hub/config's schema reads content/config and content/schema; in the bundle, its own folder. */
const CODE_DIRS = UNBUNDLED ? [here, join(here, '../../content/config'), join(here, '../../content/schema')] : [here];

/** The file loadConfig reads, as it finds it. */
export function configFileOf(options: HubLoadOptions): string | undefined {
  const env = options.env ?? process.env;
  return options.file ?? env.ESPACE_CONFIG ?? (existsSync('espace.yaml') ? 'espace.yaml' : undefined);
}

/**
 * The size and modification time of every module that validates, and zod's version: a new build
 * or zod is a miss. In the bundle, its build id (BUNDLE_BUILD_ID, a hash of all its files written
 * with them): one small read where a stat of every chunk and zod's resolution were ~8 ms of
 * CPU here at every start, four times that on a Pi's core; the chunks' size and time when a
 * bundle has none.
 */
function codeIdentity(): string[] {
  if (!UNBUNDLED) {
    try {
      return [`build:${readFileSync(join(here, BUNDLE_BUILD_ID), 'utf8')}`];
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  const parts: string[] = [];
  for (const dir of CODE_DIRS) {
    for (const name of readdirSync(dir).sort()) {
      const st = statSync(join(dir, name));
      parts.push(`${join(dir, name)}:${st.size}:${st.mtimeMs}`);
    }
  }
  const zod = createRequire(import.meta.url).resolve('zod/package.json');
  const st = statSync(zod);
  parts.push(`${zod}:${st.size}:${st.mtimeMs}`);
  return parts;
}

/**
 * The key of loadConfig's inputs, or null when the file cannot be read (the full load says why):
 * the inputs themselves, the file's bytes in base64, compared whole. No digest: node:crypto
 * would load before the first search for it (~25 ms of CPU on Node 24 here, four times that on a
 * Pi's core), and the kept file holds the secrets the configuration holds anyway (0600).
 */
export function configCacheKey(options: HubLoadOptions): string | null {
  const env = options.env ?? process.env;
  const file = configFileOf(options);
  let bytes = '';
  if (file) {
    try {
      bytes = readFileSync(file).toString('base64');
    } catch {
      return null;
    }
  }
  const vars = Object.entries(env)
    .filter(([name, value]) => name.startsWith('ESPACE_') && name !== 'ESPACE_CONFIG_CACHE' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const inputs = {
    format: FORMAT,
    code: codeIdentity(),
    cwd: process.cwd(),
    file: file === undefined ? null : resolve(file),
    bytes,
    env: vars,
    overrides: options.overrides ?? {},
    demo: options.demo === true,
  };
  return JSON.stringify(inputs);
}

/** The kept configuration when its key is `key`, else null (no file, another key, or a file not ours to read). */
function readCache(file: string, key: string): Config | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  let kept: unknown;
  try {
    kept = JSON.parse(text);
  } catch {
    return null; // A torn or foreign file: validated again and rewritten.
  }
  if (typeof kept !== 'object' || kept === null) return null;
  const { key: keptKey, config } = kept as { key?: unknown; config?: unknown };
  return keptKey === key && typeof config === 'object' && config !== null ? (config as Config) : null;
}

/** Writes the kept configuration whole or not at all (a power cut leaves the old one or none). */
function writeCache(file: string, key: string, config: Config): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ key, config }), { mode: 0o600, flush: true });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * loadConfig (hub/config/load.ts) for `espace start`, read back from the cache file when the
 * inputs are the same as when it was kept (see CachedConfig); zod and the schemas load only on
 * a miss. Errors are loadConfig's own.
 */
export async function loadConfigCached(options: CacheOptions = {}): Promise<CachedConfig> {
  const cacheFile = options.cacheFile ?? (options.env ?? process.env).ESPACE_CONFIG_CACHE;
  const validate = async (): Promise<Config> => (await import('./load.js')).loadConfig(options);
  if (!cacheFile) return { config: await validate(), cache: 'off' };
  const key = configCacheKey(options);
  if (key === null) return { config: await validate(), cache: 'miss' };
  let kept: Config | null;
  try {
    kept = readCache(cacheFile, key);
  } catch (e) {
    // Unreadable (permissions, I/O): validated as without a cache, and said.
    return { config: await validate(), cache: 'miss', error: `cannot read the kept configuration ${cacheFile}: ${(e as Error).message}` };
  }
  if (kept) return { config: kept, cache: 'hit' };
  const config = await validate();
  try {
    writeCache(cacheFile, key, config);
  } catch (e) {
    return { config, cache: 'miss', error: `cannot keep the validated configuration in ${cacheFile}: ${(e as Error).message}` };
  }
  return { config, cache: 'miss' };
}
