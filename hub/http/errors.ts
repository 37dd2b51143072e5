import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import Negotiator from 'negotiator';
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

const COUCH_ERRORS: Record<number, string> = { 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 429: 'too_many_requests' };

/**
 * Writes the one JSON envelope on a bare response (the raw fast path has no Express, and the
 * error handler below uses it too). `couch`: CouchDB clients (a phone's PouchDB on /db) read
 * `error`; `headers`: what goes with it where no middleware set them (the security headers).
 */
export function writeError(res: ServerResponse, e: AppError, couch = false, headers: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(couch ? { ...e.toJSON(), error: COUCH_ERRORS[e.status] ?? 'bad_request' } : e.toJSON());
  res
    .writeHead(e.status, {
      ...headers,
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * A browser opening an address itself (a tapped link, a typed address), not a player, an
 * image or a script: `Sec-Fetch-Mode: navigate`, or, where a browser does not send it, an
 * Accept that prefers a page to JSON (a browser's `text/html,…,*\/*;q=0.8`; `*\/*` alone, as
 * fetch() and players send, keeps JSON).
 */
export function isNavigation(req: Pick<IncomingMessage, 'headers'>): boolean {
  const mode = req.headers['sec-fetch-mode'];
  if (mode !== undefined) return mode === 'navigate';
  const accept = req.headers.accept;
  if (accept === undefined || !accept.includes('html')) return false;
  return new Negotiator({ headers: { accept } }).mediaType(['application/json', 'text/html']) === 'text/html';
}

/**
 * A visitor's page for an error at an address a browser may open outside the portal's pages
 * (a media file's link): the body of an HTML page in the visitor's language (the portal's).
 */
export type VisitorErrorPage = (req: IncomingMessage, e: AppError) => string;

/**
 * An error on a bare response where a browser may be the one asking (media files, on both
 * paths): a navigation gets `page`'s HTML page with the same status, anything else (a
 * player, fetch(), curl) the JSON envelope. `headers` as for writeError.
 */
export function writeRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  e: AppError,
  page: VisitorErrorPage | undefined,
  headers: Readonly<Record<string, string>> = {}
): void {
  if (!page || !isNavigation(req)) {
    writeError(res, e, false, headers);
    return;
  }
  const body = page(req, e);
  res
    .writeHead(e.status, {
      ...headers,
      'Cache-Control': 'no-store',
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * What any thrown value becomes for a client: an AppError as it is, a parser's error as a
 * sentence a person can act on, a full disk as 507; anything else is logged and is a 500
 * without internals (nothing a client sends should get there). Both paths use it.
 */
export function asAppError(thrown: unknown, log: Logger, where: { method?: string; path: string }): AppError {
  const err = (thrown ?? {}) as { type?: string; status?: number; limit?: number; code?: string; name?: string; message?: string };
  let e: AppError | null = isAppError(thrown) ? thrown : fromParserError(err);
  if (!e && (err.code === 'ENOSPC' || (err.name === 'OpenError' && /ENOSPC|No space/i.test(String(err.message))))) {
    e = new AppError(507, 'disk-full', 'the hub has no disk space left to store this; nothing was saved. Ask the technician to free space.');
  }
  if (!e) {
    log.error({ err: thrown, method: where.method, path: where.path }, 'unhandled error');
    e = new AppError(500, 'internal-error', 'something went wrong on the hub; try again, and tell the technician if it persists');
  } else if (e.status >= 500) {
    log.warn({ reason: e.reason, path: where.path }, e.details);
  }
  return e;
}

/**
 * An HTML page for an error on a page a browser shows (the console's): its body, or undefined
 * for an address that is not one of its pages.
 */
export type ErrorPage = (req: Request, res: Response, e: AppError) => string | undefined;

/**
 * The one place errors become responses: AppError → its status and envelope (or, on a page of
 * the console, `pages`' HTML page in French); anything else is logged and answered 500 without
 * internals. Nothing a client sends should reach that branch.
 */
export function errorHandler(log: Logger, pages: readonly ErrorPage[] = []): ErrorRequestHandler {
  return function errorHandler(thrown: unknown, req, res, _next) {
    const e = asAppError(thrown, log, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const page of pages) {
      const body = page(req, res, e);
      if (body === undefined) continue;
      res.status(e.status).set('Cache-Control', 'no-store').type('html').send(body);
      return;
    }
    writeError(res, e, req.path.startsWith('/db'));
  };
}
