import { Router } from 'express';
import type { HubDeps } from '../deps.js';

/** GET /health: databases, version, uptime — for `espace doctor`, the kiosk and monitoring. */
export function healthRouter(deps: HubDeps): Router {
  const router = Router();
  router.get('/health', async function health(_req, res) {
    const databases: Record<string, { docs: number; updateSeq: number | string } | { error: string }> = {};
    for (const [name, db] of Object.entries(deps.dbs)) {
      try {
        const info = await db.info();
        databases[name] = { docs: info.doc_count, updateSeq: info.update_seq };
      } catch (e) {
        databases[name] = { error: (e as Error).message };
      }
    }
    const ok = Object.values(databases).every((d) => !('error' in d));
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ok ? 'ok' : 'degraded',
        hubId: deps.config.hubId,
        spaceName: deps.config.spaceName,
        version: deps.version,
        uptimeSeconds: Math.round(process.uptime()),
        startedAt: deps.startedAt,
        databases,
        memory: { rssBytes: process.memoryUsage().rss },
      });
  });
  return router;
}
