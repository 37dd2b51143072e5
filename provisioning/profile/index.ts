/** The space profile: one YAML file per space, turned into a working Pi by provisioning. */
export { SpaceProfile, AccessPoint, Lan, AP_MODES, type SpaceProfileInput } from './schema.js';
export { loadProfile, parseProfile, profileWarnings } from './load.js';
export { hubConfigFor, hubSecretsFor, HUB_DATA_DIR } from './to-config.js';
export { parseCidr, type Subnet } from './ipv4.js';
