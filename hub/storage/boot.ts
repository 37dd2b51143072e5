/**
 * The part of storage the hub's start needs before its first search (a second, light entry beside
 * index.ts): no PouchDB. The content db's sequence and counts read from LevelDB (peek.ts), and
 * the media store.
 */
export { closeAhead } from './durable-leveldown.js';
export { MediaStore } from './media-store.js';
export { dbLocation, peekDatabase, type Peek } from './peek.js';
