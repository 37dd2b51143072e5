import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { Router, type RequestHandler } from 'express';
import { AppError, POSTABLE_SUBMISSION_TYPES, SUBMISSION_BODY_LIMITS, type PostableSubmissionType } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { checkSubmission, type CheckedSubmission } from '../submissions/index.js';
import { asAppError, writeError } from './errors.js';
import { phoneWriteLimit, type PhoneLimit } from './phone-limit.js';

function isPostable(t: string): t is PostableSubmissionType {
  return (POSTABLE_SUBMISSION_TYPES as readonly string[]).includes(t);
}

function unknownType(type: string): AppError {
  return new AppError(404, 'unknown-submission-type', `submissions are one of ${POSTABLE_SUBMISSION_TYPES.join(', ')}; "${type.slice(0, 40)}" is not`);
}

/** The body limit of each postable type, in bytes, sized by the type's own declaration (content/schema). */
function bodyLimits(config: HubDeps['config']): Record<PostableSubmissionType, number> {
  const limits = {} as Record<PostableSubmissionType, number>;
  for (const t of POSTABLE_SUBMISSION_TYPES) {
    const limit = SUBMISSION_BODY_LIMITS[t];
    limits[t] = limit === 'form' ? config.limits.bodyBytes : limit;
  }
  return limits;
}

type HeaderList = readonly (string | number)[];

const NO_HEADERS: HeaderList = [];
const CREATED_HEADERS: HeaderList = ['Cache-Control', 'no-store', 'Content-Type', 'application/json; charset=utf-8'];

/**
 * The one 201 of a stored submission, for both paths: `fixed` and `rate` are the headers no
 * middleware set (the security and rate-limit headers on the fast path; nothing under
 * Express, where they are set already), joined by one concat (no spread per answer). No ETag:
 * the answer names a new doc, it is not a representation.
 */
export function sendCreated(res: ServerResponse, id: string, fixed: HeaderList = NO_HEADERS, rate: HeaderList = NO_HEADERS): void {
  // The id is made by the hub (hubId:type:base36): nothing in it needs escaping, but say so.
  const body = `{"id":${JSON.stringify(id)},"status":"counted-here"}`;
  res.writeHead(201, fixed.concat(rate, CREATED_HEADERS, 'Content-Length', Buffer.byteLength(body)));
  res.end(body);
}

/**
 * POST /api/v1/submissions/:type — what phones and the kiosk send: validated by the shared
 * schema, size-limited, rate-limited per phone (one counter with the portal's forms), and
 * answered 201 only once on disk. The raw fast path answers the well-formed ones the same
 * way (submissionFastPath); this route answers everything else (other spellings of the
 * content type, compressed bodies, other charsets) and everything when the fast path is off.
 */
export function submissionsRouter(deps: HubDeps, limiter: RequestHandler = phoneWriteLimit(deps.config)): Router {
  const router = Router();
  const { config } = deps;
  const limits = bodyLimits(config);
  const parsers = new Map<string, RequestHandler>(POSTABLE_SUBMISSION_TYPES.map((t) => [t, express.json({ limit: limits[t], strict: true })]));

  router.post(
    '/api/v1/submissions/:type',
    limiter,
    function checkType(req, _res, next) {
      const type = String(req.params.type);
      if (!isPostable(type)) throw unknownType(type);
      if (!req.is('application/json')) throw new AppError(415, 'json-required', 'send the submission as JSON with the header Content-Type: application/json');
      next();
    },
    function parseBody(req, res, next) {
      // checkType let only a postable type through.
      parsers.get(String(req.params.type))!(req, res, next);
    },
    async function submit(req, res) {
      const result = await deps.submissions.submit(checkSubmission(req.params.type as PostableSubmissionType, req.body), { hubId: config.hubId });
      sendCreated(res, result.id);
    }
  );

  router.get('/api/v1/consultations/:id/results', async function results(req, res) {
    const consultation = await deps.catalog.get(req.params.id);
    // The id may name any content: the type check narrows it to a consultation.
    if (consultation.type !== 'consultation') throw new AppError(404, 'not-a-consultation', `${req.params.id} is not a consultation`);
    const closed = Date.now() > Date.parse(consultation.closesAt);
    if (!consultation.resultsPublic && !closed) {
      throw new AppError(403, 'results-not-public', 'the results of this consultation will be shown when it closes');
    }
    res.set('Cache-Control', 'no-cache').json(await deps.submissions.results(consultation, config.hubId));
  });
  return router;
}

const SUBMISSION_PATH = /^\/api\/v1\/submissions\/([a-z]{1,40})$/;
/** The spellings of a JSON body the fast path reads itself; Express's parser reads the others (charsets, parameters, case). */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const NOT_JSON = new AppError(400, 'malformed-json', 'the request body is not valid JSON; check quotes and commas');
/** Whitespace JSON allows before a value, as body-parser's strict mode skips it. */
const FIRST_CHAR = /^[ \t\n\r]*(.)/s;

/**
 * A body as express.json({ strict: true }) reads it: UTF-8 without its BOM, `{}` when empty,
 * only an object or an array.
 */
function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = FIRST_CHAR.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw NOT_JSON;
  }
}

/**
 * Reads a body of at most `limit` bytes. Over the limit (declared or sent), the rest is read
 * off before the 413, as body-parser does, so the connection stays usable.
 */
function readBody(req: IncomingMessage, limit: number, done: (e: AppError | null, body: Buffer) => void): void {
  const declared = req.headers['content-length'];
  let over = declared !== undefined && Number(declared) > limit;
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      chunks.length = 0;
    } else chunks.push(chunk);
  });
  // A phone that went away mid-body: nobody is left to answer (Express's parser writes its 400 to a closed socket).
  req.on('error', () => req.destroy());
  req.on('end', () => {
    if (over) done(new AppError(413, 'body-too-large', `the request body is larger than ${limit} bytes; send less`), Buffer.alloc(0));
    else done(null, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
}

/**
 * POST /api/v1/submissions/<type> on the raw fast path, answered as the route above answers
 * it (tests/integration/http/parity.test.ts): the same counter per phone, the same checks in
 * the same order (limit, type, size, JSON, schema), the same envelope, and the 201 only once
 * the group commit holding the doc is on disk. Requests it does not read itself (a query
 * string, another spelling of the content type, a compressed body, no body) are left to
 * Express (false), before anything is counted.
 */
export function submissionFastPath(
  deps: HubDeps,
  limit: PhoneLimit,
  security: Readonly<Record<string, string>>
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limits = bodyLimits(deps.config);
  const fixed = Object.entries(security).flat();
  const ctx = { hubId: deps.config.hubId };

  function fail(req: IncomingMessage, res: ServerResponse, thrown: unknown, rate: string[]): void {
    const e = asAppError(thrown, deps.log, { method: 'POST', path: req.url ?? '' });
    const headers: Record<string, string> = { ...security };
    for (let i = 0; i < rate.length; i += 2) headers[rate[i]!] = rate[i + 1]!;
    writeError(res, e, false, headers);
  }

  return function submissions(req, res) {
    const m = SUBMISSION_PATH.exec(req.url ?? '');
    if (!m) return false;
    const h = req.headers;
    const type = h['content-type'];
    if (type === undefined || !PLAIN_JSON.has(type.toLowerCase()) || h['content-encoding'] !== undefined) return false;
    // A body Express sees (type-is's hasBody): a length, or chunks.
    if (h['transfer-encoding'] === undefined && (h['content-length'] === undefined || Number.isNaN(Number(h['content-length'])))) return false;
    const hit = limit.hit(req.socket.remoteAddress);
    const name = m[1]!;
    if (hit.limited) fail(req, res, limit.refusal(), hit.headers);
    else if (!isPostable(name)) fail(req, res, unknownType(name), hit.headers);
    else {
      readBody(req, limits[name], (tooLarge, bytes) => {
        let submission: CheckedSubmission;
        try {
          if (tooLarge) throw tooLarge;
          submission = checkSubmission(name, parseJson(bytes));
        } catch (e) {
          fail(req, res, e, hit.headers);
          return;
        }
        deps.submissions.submit(submission, ctx).then(
          (result) => sendCreated(res, result.id, fixed, hit.headers),
          (e: unknown) => fail(req, res, e, hit.headers)
        );
      });
    }
    return true;
  };
}
