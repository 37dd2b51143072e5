/** The sync room: the engine that moves data between this hub and central when bandwidth allows. */
export { SyncEngine, type SyncEngineOptions, type SyncStatus, type RunResult } from './engine.js';
export { syncRouter } from './router.js';
export { unconfirmedSubmissionIds, confirmedInBamako, UnconfirmedSubmissions } from './confirm.js';
export { ByteMeter, SYNC_CLASSES, type SyncClass } from './meter.js';
export { createTransport, type Transport, type FetchLike } from './transport.js';
export { inWindows } from './windows.js';
export { classify, type Failure, type FailureKind } from './failures.js';
export { SyncError } from './errors.js';
export { SyncStateCorrupt, type SyncState, type ClassState } from './state.js';
