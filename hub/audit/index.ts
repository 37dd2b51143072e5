/** The append-only audit log of console actions: who, what, when. */
export { AuditLog, type AuditEntry } from './audit-log.js';
