/** The configuration room's light entry (see content/boot.ts): where the project lies, without the schemas. */
export { BUNDLE_BUILD_ID, ESPACE_BIN, projectRoot } from './paths.js';
