/**
 * The content room's light entry, beside index.ts, for the hub's start-up until its first
 * search: the errors, the logger, systemd, the project's root, the content's names and the
 * narrowing of stored docs, and whether a pack import was interrupted; no zod (neither the
 * content schemas nor the configuration's), no pack format (tar, signatures). Loading modules
 * is most of a start on a Pi's core; the rest of the hub loads index.ts afterwards.
 */
export * from './errors.js';
export * from './config/boot.js';
export * from './log/index.js';
export * from './systemd/index.js';
export * from './schema/boot.js';
export * from './pack/boot.js';
