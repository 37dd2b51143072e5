import { Router } from 'express';
import type { TlsService } from './service.js';

/**
 * What the portal's move to HTTPS asks: the hub's HTTPS origin while a valid certificate is
 * served, and a probe a phone fetches there. A phone whose clock is wrong or whose trust
 * store is old fails that fetch and simply stays on plain HTTP.
 */
export function tlsRouter(tls: TlsService | undefined): Router {
  const router = Router();
  router.get('/api/v1/secure-origin', function secureOrigin(_req, res) {
    res.set('Cache-Control', 'no-store').json({ origin: tls?.origin() ?? null });
  });
  router.get('/api/v1/secure-probe', function secureProbe(req, res) {
    // Asked from the plain-HTTP page (another origin); it carries nothing but "this worked".
    res.set({ 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' });
    res.status(req.secure ? 204 : 404).end();
  });
  return router;
}
