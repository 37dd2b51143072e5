/**
 * The one error type of the project. `status` is the HTTP status when it reaches a client,
 * `reason` a short kebab-case code, `details` a sentence a person can act on.
 * The CLI prints `details` and exits non-zero; the hub answers
 * `{ status: 'error', reason, details }`.
 */
export class AppError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly details: string;

  constructor(status: number, reason: string, details: string, options?: { cause?: unknown }) {
    super(details, options);
    this.name = 'AppError';
    this.status = status;
    this.reason = reason;
    this.details = details;
  }

  toJSON() {
    return { status: 'error' as const, reason: this.reason, details: this.details };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/**
 * Whether an error means "there is nothing there": a PouchDB or CouchDB 404, a missing file
 * (ENOENT), an AppError with status 404. It is the one error the code may swallow; any other
 * (a disk error, a corrupt file) is logged and surfaced, never taken for "not found".
 */
export function isNotFound(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { status, code } = e as { status?: unknown; code?: unknown };
  return status === 404 || code === 'ENOENT';
}

/** For `.catch()`: a not-found is null, anything else (a disk error) goes on up. */
export function nullIfNotFound(e: unknown): null {
  if (isNotFound(e)) return null;
  throw e;
}
