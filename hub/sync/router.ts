import { Router } from 'express';
import { AppError } from '../../content/index.js';
import type { SyncEngine } from './engine.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /api/v1/sync: the state a technician reads. POST /api/v1/sync/now: run now (from the Pi
 * itself only, until the admin console adds sessions); `?wait=1` answers when the run ends.
 */
export function syncRouter(engine: SyncEngine | undefined): Router {
  const router = Router();
  const need = () => {
    if (!engine) throw new AppError(503, 'sync-off', 'sync is not running on this hub; set sync.enabled: true and the central section, then restart');
    return engine;
  };
  router.get('/api/v1/sync', async function syncStatus(_req, res) {
    const e = need();
    const unconfirmed = (await e.unconfirmed()).length;
    res.set('Cache-Control', 'no-store').json({ ...e.status(), unconfirmedSubmissions: unconfirmed });
  });
  router.post('/api/v1/sync/now', async function syncNow(req, res) {
    if (!LOOPBACK.has(req.ip ?? '')) {
      throw new AppError(403, 'loopback-only', 'a sync can be started only from the hub itself for now: run "espace sync now" on the Pi');
    }
    const e = need();
    const run = e.runNow('manual');
    if (req.query.wait === '1') {
      const result = await run;
      res.set('Cache-Control', 'no-store').json({ result, status: e.status() });
      return;
    }
    run.catch(() => undefined);
    res.status(202).set('Cache-Control', 'no-store').json({ started: true, status: e.status() });
  });
  return router;
}
