export { ConfigSchema, TimeWindow, type Config, type ConfigInput } from './schema.js';
export { DEFAULTS } from './defaults.js';
export { loadConfig, maskSecrets, type LoadOptions } from './load.js';
export {
  COMPILE_CACHE_DIR,
  HEAP_GROWING_PERCENT,
  HUB_COMMAND_LINE_FLAGS,
  HUB_MALLOC_ENV,
  hubNodeFlags,
  hubNodeOptions,
  YOUNG_GENERATION_MB,
} from './node-flags.js';
export { BUNDLE_BUILD_ID, ESPACE_BIN, projectRoot } from '../../content/boot.js';
