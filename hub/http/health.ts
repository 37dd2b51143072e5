import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Router } from 'express';
import { listInstalledPacks } from '../../content/index.js';
import type { HubDeps } from '../deps.js';

const RESOLUTION_MS = 10;
/** The histogram records the whole interval between ticks; the delay is what exceeds the resolution. */
const lateMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

/** GET /health: databases, version, uptime — for `espace doctor`, the kiosk and monitoring. */
export function healthRouter(deps: HubDeps): Router {
  const router = Router();
  // How late timers fire: the hub's one thread is busy when this grows (the timer is unref'd).
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  let windowStart = Date.now();
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
    const packs = ok
      ? (await listInstalledPacks(deps.dbs.content)).map((p) => ({ name: p.name, version: p.version, keyId: p.keyId, installedAt: p.installedAt }))
      : [];
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
        packs,
        contentFeed: deps.catalog.feedHealth(),
        // The modem's state and today's spending, no numbers or messages.
        sms: deps.sms?.status() ?? null,
        // HTTPS for phones: off (no tls.domain), waiting for a certificate, valid, or lapsed and why.
        tls: deps.tls ? { ...deps.tls.state(), origin: deps.tls.origin() } : { state: 'off', why: 'tls.domain is not set' },
        // Where resident memory goes (the bench's memory section reads it): V8's heap, and what it holds outside (buffers).
        memory: memory(),
        // Since the previous /health answer, so a bench can read it around a load.
        eventLoopDelay: {
          p50Ms: lateMs(loop.percentile(50)),
          p99Ms: lateMs(loop.percentile(99)),
          maxMs: lateMs(loop.max),
          windowSeconds: Math.round((Date.now() - windowStart) / 1000),
        },
      });
    loop.reset();
    windowStart = Date.now();
  });
  return router;
}

function memory(): { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number } {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external };
}
