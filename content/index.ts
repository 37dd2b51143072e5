/**
 * The content room: the schema shared by every part, the errors, the pack format, and the
 * configuration and logger the hub and the kiosk share.
 */
export * from './schema/index.js';
export * from './errors.js';
export * from './pack/index.js';
export * from './config/index.js';
export * from './log/index.js';
export * from './systemd/index.js';
