import { resolve } from 'node:path';
import { KIOSK_ENV, loadLayered, type EnvMap, type LoadOptions } from '../../content/index.js';
import { configFileOf } from './cached.js';
import { DEFAULTS } from './defaults.js';
import { ConfigSchema, type Config } from './schema.js';

/** Environment variables that override the file, and where each goes. */
const ENV_MAP: EnvMap = {
  ...KIOSK_ENV,
  ESPACE_HUB_ID: { path: ['hubId'], kind: 'string' },
  ESPACE_SPACE_NAME: { path: ['spaceName'], kind: 'string' },
  ESPACE_COMMUNE: { path: ['commune'], kind: 'string' },
  ESPACE_REGION: { path: ['region'], kind: 'string' },
  ESPACE_DATA_DIR: { path: ['dataDir'], kind: 'string' },
  ESPACE_HOST: { path: ['host'], kind: 'string' },
  ESPACE_PORT: { path: ['port'], kind: 'number' },
  ESPACE_DNS_NAME: { path: ['dnsName'], kind: 'string' },
  ESPACE_MDNS: { path: ['mdns'], kind: 'boolean' },
  ESPACE_SEED_DEMO: { path: ['seedDemo'], kind: 'boolean' },
  ESPACE_TRUST_DEMO_KEY: { path: ['trustDemoKey'], kind: 'boolean' },
  ESPACE_TRUSTED_KEYS: { path: ['trustedKeys'], kind: 'json' },
  ESPACE_CENTRAL_URL: { path: ['central', 'url'], kind: 'string' },
  ESPACE_CENTRAL_USERNAME: { path: ['central', 'username'], kind: 'string' },
  ESPACE_CENTRAL_PASSWORD: { path: ['central', 'password'], kind: 'string' },
  ESPACE_SYNC_ENABLED: { path: ['sync', 'enabled'], kind: 'boolean' },
  ESPACE_SYNC_BUDGET_MB: { path: ['sync', 'dailyBudgetMB'], kind: 'number' },
  ESPACE_SUBMISSIONS_PER_MINUTE: { path: ['limits', 'submissionsPerMinute'], kind: 'number' },
  ESPACE_SMS_ENABLED: { path: ['sms', 'enabled'], kind: 'boolean' },
  ESPACE_SMS_BUS: { path: ['sms', 'bus'], kind: 'string' },
  ESPACE_SMS_DAILY_BUDGET: { path: ['sms', 'dailyBudget'], kind: 'number' },
  ESPACE_SMS_POLL_SECONDS: { path: ['sms', 'pollSeconds'], kind: 'number' },
  ESPACE_SMS_QUIET_HOURS: { path: ['sms', 'quietHours'], kind: 'json' },
  ESPACE_MEDIA_FRONT: { path: ['mediaFront'], kind: 'boolean' },
  ESPACE_TLS_DOMAIN: { path: ['tls', 'domain'], kind: 'string' },
  ESPACE_TLS_PORT: { path: ['tls', 'port'], kind: 'number' },
  ESPACE_FLAGS_TO_HIDE: { path: ['community', 'flagsToHide'], kind: 'number' },
  ESPACE_PRE_MODERATED_POSTS: { path: ['community', 'preModeratedPosts'], kind: 'number' },
  ESPACE_POSTS_PER_MEMBER_PER_HOUR: { path: ['community', 'postsPerMemberPerHour'], kind: 'number' },
};

export interface HubLoadOptions extends LoadOptions {
  /**
   * The demo `make start` runs (`espace start` with no configuration file): it trusts the
   * committed demo key so the Kayes pack seeds. Ignored as soon as a file is used, so a
   * configured or provisioned hub never inherits that trust from a default.
   */
  demo?: boolean;
}

/**
 * Reads the configuration once: defaults → file → environment → overrides, then validates.
 * A wrong value stops with a message naming the field and the fix.
 */
export function loadConfig(options: HubLoadOptions = {}): Config {
  // The same file loadLayered will read: the demo's trust applies only when there is none.
  const file = configFileOf(options);
  const defaults = options.demo && !file ? { ...DEFAULTS, trustDemoKey: true } : DEFAULTS;
  const config = loadLayered(ConfigSchema, defaults, ENV_MAP, options);
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

export type { LoadOptions };
