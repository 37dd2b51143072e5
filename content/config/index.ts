/**
 * The configuration parts the hub and the kiosk share: one file read the same way
 * (defaults → file → environment → overrides, validated once), the kiosk's section, and
 * where the project lies on disk.
 */
export { loadLayered, type EnvEntry, type EnvMap, type LoadOptions } from './layers.js';
export { KIOSK_DEFAULTS, KIOSK_ENV, KioskSection, LogLevel, TimeWindow, type OpeningHours } from './kiosk.js';
export { BUNDLE_BUILD_ID, ESPACE_BIN, projectRoot } from './paths.js';
