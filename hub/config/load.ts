import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppError, describeIssues } from '../../content/index.js';
import { DEFAULTS } from './defaults.js';
import { ConfigSchema, type Config } from './schema.js';

/** Environment variables that override the file, and where each goes. */
const ENV_MAP: Record<string, { path: string[]; kind: 'string' | 'number' | 'boolean' | 'json' }> = {
  ESPACE_HUB_ID: { path: ['hubId'], kind: 'string' },
  ESPACE_SPACE_NAME: { path: ['spaceName'], kind: 'string' },
  ESPACE_COMMUNE: { path: ['commune'], kind: 'string' },
  ESPACE_REGION: { path: ['region'], kind: 'string' },
  ESPACE_DATA_DIR: { path: ['dataDir'], kind: 'string' },
  ESPACE_HOST: { path: ['host'], kind: 'string' },
  ESPACE_PORT: { path: ['port'], kind: 'number' },
  ESPACE_DNS_NAME: { path: ['dnsName'], kind: 'string' },
  ESPACE_MDNS: { path: ['mdns'], kind: 'boolean' },
  ESPACE_LOG_LEVEL: { path: ['logLevel'], kind: 'string' },
  ESPACE_SEED_DEMO: { path: ['seedDemo'], kind: 'boolean' },
  ESPACE_TRUST_DEMO_KEY: { path: ['trustDemoKey'], kind: 'boolean' },
  ESPACE_TRUSTED_KEYS: { path: ['trustedKeys'], kind: 'json' },
  ESPACE_CENTRAL_URL: { path: ['central', 'url'], kind: 'string' },
  ESPACE_CENTRAL_USERNAME: { path: ['central', 'username'], kind: 'string' },
  ESPACE_CENTRAL_PASSWORD: { path: ['central', 'password'], kind: 'string' },
  ESPACE_SYNC_ENABLED: { path: ['sync', 'enabled'], kind: 'boolean' },
  ESPACE_SYNC_BUDGET_MB: { path: ['sync', 'dailyBudgetMB'], kind: 'number' },
  ESPACE_SUBMISSIONS_PER_MINUTE: { path: ['limits', 'submissionsPerMinute'], kind: 'number' },
  ESPACE_KIOSK_HUB_URL: { path: ['kiosk', 'hubUrl'], kind: 'string' },
  ESPACE_KIOSK_IDLE_SECONDS: { path: ['kiosk', 'idleSeconds'], kind: 'number' },
  ESPACE_KIOSK_LOW_MEMORY: { path: ['kiosk', 'lowMemory'], kind: 'boolean' },
};

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlain(v) && isPlain(out[k]) ? deepMerge(out[k] as Plain, v) : v;
  }
  return out;
}

function coerce(name: string, raw: string, kind: 'string' | 'number' | 'boolean' | 'json'): unknown {
  if (kind === 'string') return raw;
  if (kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new AppError(2, 'config-invalid', `${name}="${raw}" is not a number; set it to digits, for example ${name}=8080`);
    return n;
  }
  if (kind === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new AppError(2, 'config-invalid', `${name}="${raw}" is not true or false; set it to true or false`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(2, 'config-invalid', `${name} is not valid JSON; for example ${name}='[{"id":"prod","publicKey":"…"}]'`);
  }
}

function envLayer(env: NodeJS.ProcessEnv): Plain {
  let layer: Plain = {};
  for (const [name, { path, kind }] of Object.entries(ENV_MAP)) {
    const raw = env[name];
    if (raw === undefined) continue;
    let node: Plain = { [path[path.length - 1]!]: coerce(name, raw, kind) };
    for (let i = path.length - 2; i >= 0; i -= 1) node = { [path[i]!]: node };
    layer = deepMerge(layer, node);
  }
  return layer;
}

export interface LoadOptions {
  /** A config file (YAML or JSON); when absent, ESPACE_CONFIG or ./espace.yaml if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values that win over everything (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

/**
 * Reads the configuration once: defaults → file → environment → overrides, then validates.
 * A wrong value stops with a message naming the field and the fix.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.ESPACE_CONFIG ?? (existsSync('espace.yaml') ? 'espace.yaml' : undefined);
  let fileLayer: Plain = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new AppError(2, 'config-missing', `cannot read the config file ${resolve(file)}; check the path (ESPACE_CONFIG) or create it`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      throw new AppError(2, 'config-invalid', `the config file ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (parsed !== null && parsed !== undefined && !isPlain(parsed)) {
      throw new AppError(2, 'config-invalid', `the config file ${file} must hold key: value pairs, like "hubId: kayes-01"`);
    }
    fileLayer = (parsed as Plain | null) ?? {};
  }
  const merged = deepMerge(deepMerge(deepMerge(DEFAULTS as unknown as Plain, fileLayer), envLayer(env)), options.overrides ?? {});
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    throw new AppError(2, 'config-invalid', `configuration is wrong${file ? ` (file ${file})` : ''}: ${describeIssues(result.error)}. Fix the file or the matching ESPACE_* variable.`);
  }
  const config = result.data;
  config.dataDir = resolve(config.dataDir);
  return config;
}

/** The config with secrets masked, for logs and status pages. */
export function maskSecrets(config: Config): Config {
  return {
    ...config,
    central: { ...config.central, password: config.central.password ? '***' : undefined },
    wifi: { ...config.wifi, passphrase: config.wifi.passphrase ? '***' : undefined },
    kiosk: { ...config.kiosk, pin: '***' },
  };
}
