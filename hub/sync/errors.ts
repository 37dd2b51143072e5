import { AppError } from '../../content/index.js';
import type { FailureKind } from './failures.js';

/** What the hub would answer if a sync error reached a client (it rarely does: runs report it). */
const STATUS: Record<FailureKind, number> = {
  'refused-by-central': 502,
  'central-unreachable': 503,
  'credentials-refused': 502,
  'budget-reached': 429,
  'outside-window': 409,
  'central-error': 502,
  'not-configured': 503,
  'media-damaged': 502,
};

/**
 * A sync failure the sync's own code recognised: its kind, the HTTP status central answered
 * (when there was an answer), and the sentence the technician reads on the status page.
 * The `reason` of the AppError is the kind, so the one error envelope still fits.
 */
export class SyncError extends AppError {
  readonly kind: FailureKind;
  /** The status central answered with; null when there was no answer or no request. */
  readonly centralStatus: number | null;
  /** Worth trying again within this run (a cut, a 5xx). */
  readonly transient: boolean;

  constructor(kind: FailureKind, details: string, opts: { centralStatus?: number; transient?: boolean; cause?: unknown } = {}) {
    super(STATUS[kind], kind, details, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SyncError';
    this.kind = kind;
    this.centralStatus = opts.centralStatus ?? null;
    this.transient = opts.transient ?? (kind === 'central-unreachable' || kind === 'central-error' || kind === 'media-damaged');
  }
}

export function notConfigured(): SyncError {
  return new SyncError('not-configured', 'not configured: set central.url, central.username and central.password (espace central enroll prints them)');
}

export function outsideWindow(windows: readonly { from: string; to: string }[]): SyncError {
  return new SyncError('outside-window', `outside the window: sync runs only ${windows.map((w) => `${w.from}–${w.to}`).join(', ')}`);
}

export function budgetReached(budgetBytes: number): SyncError {
  return new SyncError('budget-reached', `budget reached: today's ${(budgetBytes / 1e6).toFixed(1)} MB of data are spent; sync resumes tomorrow`);
}

export function credentialsRefused(centralStatus = 401): SyncError {
  return new SyncError(
    'credentials-refused',
    "credentials refused: central does not accept this hub's user name and password; re-enroll the hub (espace central enroll) and update central.password",
    { centralStatus }
  );
}

export function writeRefused(reason: string, centralStatus = 403): SyncError {
  return new SyncError('credentials-refused', `central refused a write: ${reason}; check that the hub id matches its enrollment`, { centralStatus });
}

/** Submissions central's validate_doc_update refused: they stay here, unconfirmed. */
export function refusedByCentral(denied: readonly string[], reason: string): SyncError {
  return new SyncError(
    'refused-by-central',
    `central refused ${denied.length} submission(s) (e.g. ${denied[0]}: ${reason || 'forbidden'}); they stay on the hub, unconfirmed`
  );
}

export function centralError(centralStatus: number): SyncError {
  return new SyncError('central-error', `central answered with an error (HTTP ${centralStatus}); it will be tried again`, { centralStatus });
}

export function unreachable(what: string, cause?: unknown): SyncError {
  return new SyncError('central-unreachable', `central unreachable: ${what}; the uplink may be down, it will be tried again`, { cause });
}

export function notCouch(cause?: unknown): SyncError {
  return new SyncError(
    'central-error',
    'central answered something that is not CouchDB (a page from the mobile operator or a proxy, or a damaged answer); check the central address, it will be tried again',
    { cause }
  );
}

/** The error for a non-2xx answer of central to one of our own requests (not PouchDB's). */
export function fromCentralStatus(centralStatus: number, reason: string | undefined): SyncError {
  if (centralStatus === 401) return credentialsRefused(401);
  if (centralStatus === 403) return writeRefused(reason ?? 'forbidden', 403);
  if (centralStatus >= 500) return centralError(centralStatus);
  return new SyncError('central-error', `sync failed: central answered ${centralStatus}${reason ? ` (${reason})` : ''}`, { centralStatus });
}
