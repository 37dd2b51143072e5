/** The configuration room's light entry (see content/boot.ts): where the project lies, without the schemas. */
export { projectRoot } from './paths.js';
