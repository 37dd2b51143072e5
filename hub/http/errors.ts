import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '../../content/index.js';
import type { Logger } from '../log/index.js';

/** Any route nobody answered: the same JSON envelope as every other error. */
export function notFound(): RequestHandler {
  return function notFound(req, _res, next) {
    next(new AppError(404, 'not-found', `nothing at ${req.method} ${req.path}; see /api/v1 for what this hub serves`));
  };
}

/** Errors raised by express' own parsers, mapped to sentences a person can act on. */
function fromParserError(err: { type?: string; status?: number; limit?: number }): AppError | null {
  switch (err.type) {
    case 'entity.too.large':
      return new AppError(413, 'body-too-large', `the request body is larger than ${err.limit ?? 'the limit of'} bytes; send less`);
    case 'entity.parse.failed':
      return new AppError(400, 'malformed-json', 'the request body is not valid JSON; check quotes and commas');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported-encoding', 'send the body as UTF-8 JSON');
    case 'request.aborted':
      return new AppError(400, 'request-aborted', 'the request was interrupted; send it again');
    default:
      if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
        return new AppError(err.status, 'bad-request', 'the request could not be read; check its headers and body');
      }
      return null;
  }
}

/**
 * The one place errors become responses: AppError → its status and envelope; anything else
 * is logged and answered 500 without internals. Nothing a client sends should reach that branch.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return function errorHandler(err, req, res, _next) {
    let e: AppError | null = isAppError(err) ? err : fromParserError(err ?? {});
    if (!e && (err?.code === 'ENOSPC' || (err?.name === 'OpenError' && /ENOSPC|No space/i.test(String(err?.message))))) {
      e = new AppError(507, 'disk-full', 'the hub has no disk space left to store this; nothing was saved. Ask the technician to free space.');
    }
    if (!e) {
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
      e = new AppError(500, 'internal-error', 'something went wrong on the hub; try again, and tell the technician if it persists');
    } else if (e.status >= 500) {
      log.warn({ reason: e.reason, path: req.path }, e.details);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // CouchDB clients (a phone's PouchDB on /db) read `error`; everyone else reads the envelope.
    const couchError =
      ({ 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 429: 'too_many_requests' } as Record<number, string>)[e.status] ??
      'bad_request';
    const body = req.path.startsWith('/db') ? { ...e.toJSON(), error: couchError } : e.toJSON();
    res.status(e.status).set('Cache-Control', 'no-store').json(body);
  };
}
