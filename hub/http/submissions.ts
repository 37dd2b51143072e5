import express, { Router, type RequestHandler } from 'express';
import { AppError, POSTABLE_SUBMISSION_TYPES, SUBMISSION_BODY_LIMITS, type PostableSubmissionType } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { phoneWriteLimit } from './phone-limit.js';

function isPostable(t: string): t is PostableSubmissionType {
  return (POSTABLE_SUBMISSION_TYPES as readonly string[]).includes(t);
}

/**
 * POST /api/v1/submissions/:type — what phones and the kiosk send: validated by the shared
 * schema, size-limited, rate-limited per phone (one counter with the portal's forms), and
 * answered 201 only once on disk.
 */
export function submissionsRouter(deps: HubDeps, limiter: RequestHandler = phoneWriteLimit(deps.config)): Router {
  const router = Router();
  const { config } = deps;
  // One parser per type, sized by the type's own declaration (content/schema).
  const parsers = new Map<string, RequestHandler>(
    POSTABLE_SUBMISSION_TYPES.map((t) => {
      const limit = SUBMISSION_BODY_LIMITS[t];
      return [t, express.json({ limit: limit === 'form' ? config.limits.bodyBytes : limit, strict: true })];
    })
  );

  router.post(
    '/api/v1/submissions/:type',
    limiter,
    function checkType(req, _res, next) {
      const type = String(req.params.type);
      if (!isPostable(type)) {
        throw new AppError(404, 'unknown-submission-type', `submissions are one of ${POSTABLE_SUBMISSION_TYPES.join(', ')}; "${type.slice(0, 40)}" is not`);
      }
      if (!req.is('application/json')) throw new AppError(415, 'json-required', 'send the submission as JSON with the header Content-Type: application/json');
      next();
    },
    function parseBody(req, res, next) {
      // checkType let only a postable type through.
      parsers.get(String(req.params.type))!(req, res, next);
    },
    async function submit(req, res) {
      const result = await deps.submissions.submit(req.params.type as PostableSubmissionType, req.body, { hubId: config.hubId });
      res.status(201).set('Cache-Control', 'no-store').json({ id: result.id, status: 'counted-here' });
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
