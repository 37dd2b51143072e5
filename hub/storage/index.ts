export { openDatabases, closeDatabases, pouchConstructor, DB_NAMES, type Database, type Databases, type DbName } from './databases.js';
export { MediaStore } from './media-store.js';
export { closeAhead, durableLeveldown } from './durable-leveldown.js';
export { dbLocation, peekDatabase, type Peek } from './peek.js';
export { docsOf, docsWithPrefix, idsWithPrefix } from './pages.js';
export {
  bulkDocsNew,
  bulkPut,
  bulkWritten,
  getDoc,
  maybeDoc,
  narrowWith,
  putDoc,
  rowsOf,
  watchWrites,
  withAttachments,
  type BinaryAttachment,
  type Narrow,
  type Stored,
} from './typed.js';
export { loadOnce, type LoadOnce } from './load-once.js';
