/** The content room: the schema shared by every part, the errors, and the pack format. */
export * from './schema/index.js';
export * from './errors.js';
export * from './pack/index.js';
