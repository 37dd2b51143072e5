import { isAppError } from '../../content/index.js';
import { credentialsRefused, fromCentralStatus, notCouch, SyncError, unreachable } from './errors.js';

/** What went wrong, in the words a technician reads on the status page. */
export type FailureKind =
  | 'refused-by-central'
  | 'central-unreachable'
  | 'credentials-refused'
  | 'budget-reached'
  | 'outside-window'
  | 'central-error'
  | 'not-configured'
  | 'media-damaged';

export interface Failure {
  kind: FailureKind;
  message: string;
  /** Worth trying again in this run (a cut, a 5xx); the others wait for the next run. */
  transient: boolean;
}

/** Codes of Node's sockets, DNS, streams and undici that mean the link, not central, failed. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ABORT_ERR',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  // A gzip'd body that ends early: the link was cut mid-answer.
  'Z_BUF_ERROR',
]);
/** A body that does not inflate: not a cut, something else answered. */
const GARBAGE_CODES = new Set(['Z_DATA_ERROR']);

/** Errors of other rooms (AppErrors) the sync meets, by their reason. */
const APP_REASONS: Record<string, Failure['kind']> = {
  'budget-reached': 'budget-reached',
  'media-hash-mismatch': 'media-damaged',
  'central-credentials-refused': 'credentials-refused',
  'central-unreachable': 'central-unreachable',
};

interface ErrorLike {
  status?: unknown;
  name?: unknown;
  message?: unknown;
  reason?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (fetch wraps the socket's error; PouchDB may wrap fetch's). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = err; e && typeof e === 'object' && out.length < 5; e = (e as ErrorLike).cause) out.push(e);
  return out;
}

function failure(e: SyncError): Failure {
  return { kind: e.kind, message: e.details, transient: e.transient };
}

const KINDS = new Set<string>([
  'refused-by-central',
  'central-unreachable',
  'credentials-refused',
  'budget-reached',
  'outside-window',
  'central-error',
  'not-configured',
  'media-damaged',
] satisfies FailureKind[]);

/**
 * A SyncError, or PouchDB's copy of one: PouchDB re-creates the errors our fetch throws as its
 * own, copying their own fields (name, kind, details, transient) but not their class.
 */
function syncFailure(e: unknown): Failure | null {
  if (e instanceof SyncError) return failure(e);
  const c = e as { name?: unknown; kind?: unknown; details?: unknown; transient?: unknown };
  if (c.name === 'SyncError' && typeof c.kind === 'string' && KINDS.has(c.kind) && typeof c.details === 'string') {
    return { kind: c.kind as FailureKind, message: c.details, transient: c.transient === true };
  }
  return null;
}

/**
 * Sorts any error from a fetch, PouchDB or our own code into one of the plain kinds: by type
 * (SyncError, AppError, SyntaxError), by the HTTP status PouchDB's errors carry, and by the
 * codes of Node's and undici's network errors. Never by the wording of a message.
 */
export function classify(err: unknown): Failure {
  const links = chain(err);
  for (const e of links) {
    const known = syncFailure(e);
    if (known) return known;
    if (isAppError(e) && APP_REASONS[e.reason]) {
      const kind = APP_REASONS[e.reason]!;
      return { kind, message: e.details, transient: kind === 'central-unreachable' || kind === 'media-damaged' };
    }
  }
  const top = links[0] ?? {};
  // PouchDB's errors carry central's status and CouchDB's error name.
  if (top.status === 401 || top.name === 'unauthorized') return failure(credentialsRefused());
  if (typeof top.status === 'number' && top.status > 0 && (top.status === 403 || top.name === 'forbidden' || top.status >= 500)) {
    return failure(fromCentralStatus(top.status, typeof top.reason === 'string' ? top.reason : typeof top.message === 'string' ? top.message : undefined));
  }
  if (top.name === 'forbidden') return failure(fromCentralStatus(403, typeof top.reason === 'string' ? top.reason : undefined));
  for (const e of links) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && NETWORK_CODES.has(code)) return failure(unreachable(code));
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return failure(unreachable('no answer in time'));
    if (code && GARBAGE_CODES.has(code)) return failure(notCouch());
  }
  // PouchDB reports a request that got no answer as status 0 or an unknown_error.
  if (top.status === 0 || top.name === 'unknown_error') return failure(unreachable('no answer'));
  // A proxy's login page, a captive page of the mobile operator, a truncated body: not CouchDB.
  if (links.some((e) => e instanceof SyntaxError)) return failure(notCouch());
  const what = typeof top.message === 'string' && top.message ? top.message : typeof top.reason === 'string' ? top.reason : String(err);
  return { kind: 'central-error', message: `sync failed: ${what}`, transient: true };
}
