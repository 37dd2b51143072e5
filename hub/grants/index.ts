/**
 * The grants room: calls for local initiatives (micro-grants) at a space — the calls central
 * publishes, organisations' applications made with the facilitator, funded initiatives'
 * reports. See README.md.
 */
export { GrantService, GrantRefused, type ApplicationInput, type ReportInput, type UploadedFile } from './service.js';
export { sniffFile } from './sniff.js';
