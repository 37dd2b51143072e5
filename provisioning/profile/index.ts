/** The space profile: one YAML file per space, turned into a working Pi by provisioning. */
export { SpaceProfile, AccessPoint, Lan, Uplink, Storage, AP_MODES, OS_RELEASES, type SpaceProfileInput } from './schema.js';
export { loadProfile, parseProfile, parseProfileText, profileWarnings, knownKeys, suggestKey } from './load.js';
export { hubConfigFor, hubSecretsFor, HUB_DATA_DIR } from './to-config.js';
export { parseCidr, type Subnet } from './ipv4.js';
export { GSM_OPERATORS, gsmSettings, type GsmOperator, type GsmOperatorId } from './operators.js';
