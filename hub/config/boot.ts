/**
 * The configuration's light entry, for `espace start`: the configuration as validated last time
 * with the same inputs, without loading zod, the schemas or the YAML parser (cached.ts); they
 * load only when something changed.
 */
export { loadConfigCached, type CachedConfig } from './cached.js';
export type { Config } from './schema.js';
export { projectRoot } from '../../content/boot.js';
