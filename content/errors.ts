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
