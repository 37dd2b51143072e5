import { Router } from 'express';
import type { HubDeps } from '../deps.js';

/**
 * GET /api/v1/coverage: how much of the interface and of the content this hub has in each
 * language, as text and as a person's voice (anonymous figures, for `espace content coverage`,
 * the kiosk's technician screen and monitoring). Computed once per content change.
 */
export function coverageRouter(deps: HubDeps): Router {
  const router = Router();
  router.get('/api/v1/coverage', async function coverage(_req, res) {
    const languages = await deps.studio.coverage();
    res.set('Cache-Control', 'no-cache').json({ hubId: deps.config.hubId, languages });
  });
  return router;
}
