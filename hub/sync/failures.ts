import { isAppError } from '../../content/index.js';

/** What went wrong, in the words a technician reads on the status page. */
export type FailureKind = 'refused-by-central' | 'central-unreachable' | 'credentials-refused' | 'budget-reached' | 'outside-window' | 'central-error' | 'not-configured' | 'media-damaged';

export interface Failure {
  kind: FailureKind;
  message: string;
  /** Worth trying again in this run (a cut, a 5xx); the others wait for the next run. */
  transient: boolean;
}

const NETWORK = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|socket hang up|fetch failed|terminated|aborted|other side closed|premature close|Premature close|network|Unexpected end of JSON/i;

/** Sorts any error from a fetch, PouchDB or our own code into one of the plain kinds. */
export function classify(err: unknown): Failure {
  if (isAppError(err)) {
    if (err.reason === 'budget-reached') return { kind: 'budget-reached', message: err.details, transient: false };
    if (err.reason === 'media-hash-mismatch') return { kind: 'media-damaged', message: err.details, transient: true };
    if (err.reason === 'central-credentials-refused') return { kind: 'credentials-refused', message: err.details, transient: false };
    if (err.reason === 'central-unreachable') return { kind: 'central-unreachable', message: err.details, transient: true };
  }
  const e = (err ?? {}) as { status?: number; name?: string; message?: string; reason?: string; code?: string; cause?: { code?: string; message?: string; reason?: string } };
  const cause = e.cause;
  if (isAppError(cause)) return classify(cause);
  if ((err as { denied?: string[] }).denied) {
    const denied = (err as { denied: string[] }).denied;
    return { kind: 'refused-by-central', message: `central refused ${denied.length} submission(s) (e.g. ${denied[0]}: ${e.reason ?? 'forbidden'}); they stay on the hub, unconfirmed`, transient: false };
  }
  if (e.status === 401 || e.name === 'unauthorized') {
    return { kind: 'credentials-refused', message: 'credentials refused: central does not accept this hub\'s user name and password; re-enroll the hub (espace central enroll) and update central.password', transient: false };
  }
  if (e.status === 403 || e.name === 'forbidden') {
    return { kind: 'credentials-refused', message: `central refused a write: ${e.reason ?? e.message ?? 'forbidden'}; check that the hub id matches its enrollment`, transient: false };
  }
  const text = `${e.code ?? ''} ${e.message ?? ''} ${e.reason ?? ''} ${cause?.code ?? ''} ${cause?.message ?? ''}`;
  if (typeof e.status === 'number' && e.status >= 500) {
    return { kind: 'central-error', message: `central answered with an error (HTTP ${e.status}); it will be tried again`, transient: true };
  }
  if (NETWORK.test(text) || e.status === 0 || e.name === 'unknown_error') {
    return { kind: 'central-unreachable', message: `central unreachable: ${(cause?.code ?? e.code ?? e.message ?? 'no answer').toString().trim()}; the uplink may be down, it will be tried again`, transient: true };
  }
  // A proxy's login page, a captive page of the mobile operator, a truncated gzip: not CouchDB.
  if (err instanceof SyntaxError || /is not valid JSON|Unexpected token|incorrect header check|invalid (stored block|distance)/i.test(text)) {
    return { kind: 'central-error', message: 'central answered something that is not CouchDB (a page from the mobile operator or a proxy, or a damaged answer); check the central address, it will be tried again', transient: true };
  }
  return { kind: 'central-error', message: `sync failed: ${e.message ?? e.reason ?? String(err)}`, transient: true };
}
