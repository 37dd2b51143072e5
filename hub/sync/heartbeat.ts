import { statfs } from 'node:fs/promises';
import type { Heartbeat } from '../../content/index.js';
import type { Config } from '../config/index.js';
import type { Databases } from '../storage/index.js';

/**
 * Freshens this hub's heartbeat (id = hub id) in the local fleet db just before a push, so central
 * sees it as of this sync. hub/fleet owns the doc and writes it on its schedule; here only the
 * moving parts are updated, and what that writer measured (temperature) is kept.
 */
export async function freshenHeartbeat(config: Config, dbs: Databases, version: string, at: string, lastSync: string | null): Promise<void> {
  const fs = await statfs(config.dataDir).catch(() => null);
  const counts: Record<string, number> = {};
  for (const name of ['content', 'media', 'submissions'] as const) counts[name] = (await dbs[name].info()).doc_count;
  const moving = {
    version,
    at,
    uptimeSeconds: Math.round(process.uptime()),
    disk: { freeBytes: fs ? fs.bavail * fs.bsize : 0, totalBytes: fs ? fs.blocks * fs.bsize : 0 },
    lastSync,
    counts,
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = (await dbs.fleet.get(config.hubId).catch(() => null)) as (Heartbeat & { _rev: string }) | null;
    const doc: Heartbeat = existing
      ? { ...existing, ...moving, counts: { ...existing.counts, ...counts } }
      : { _id: config.hubId, type: 'heartbeat', hubId: config.hubId, spaceName: config.spaceName, commune: config.commune, region: config.region, temperatureC: null, ...moving };
    try {
      await dbs.fleet.put(doc as never);
      return;
    } catch (e) {
      // The fleet writer put a newer revision between our read and write: read again.
      if ((e as { status?: number }).status !== 409) throw e;
    }
  }
}
