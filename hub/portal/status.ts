import { Router } from 'express';
import { AppError, isNotFound, POSTABLE_SUBMISSION_TYPES } from '../../content/index.js';
import type { HubDeps } from '../deps.js';

export type SubmissionState = 'counted-here' | 'confirmed-central';

/**
 * Where a submission is: counted on this hub, or confirmed in Bamako once the sync has pushed
 * it and central acknowledged it.
 */
export async function submissionState(deps: HubDeps, id: string): Promise<SubmissionState | null> {
  try {
    await deps.dbs.submissions.get(id);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
  const confirmed = await deps.sync.unconfirmedSet.confirmed([id]);
  return confirmed.get(id) ? 'confirmed-central' : 'counted-here';
}

/** GET /api/v1/submissions/:id/status — public, answers only the state, never the doc. */
export function submissionStatusRouter(deps: HubDeps): Router {
  const router = Router();
  const pattern = new RegExp(`^${deps.config.hubId}:(${POSTABLE_SUBMISSION_TYPES.join('|')}):[0-9a-z]{6,40}$`);
  router.get('/api/v1/submissions/:id/status', async function status(req, res) {
    const id = req.params.id;
    if (!pattern.test(id))
      throw new AppError(400, 'bad-submission-id', `a submission id looks like "${deps.config.hubId}:response:<id>", as answered when it was sent`);
    const state = await submissionState(deps, id);
    if (!state) throw new AppError(404, 'submission-not-found', 'no submission with this id on this hub');
    res.set('Cache-Control', 'no-store').json({ id, state });
  });
  return router;
}
