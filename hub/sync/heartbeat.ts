import { statfs } from 'node:fs/promises';
import type { Heartbeat } from '../../content/index.js';
import type { Config } from '../config/index.js';
import type { Databases } from '../storage/index.js';

/** Writes this hub's heartbeat doc (id = hub id) into the local fleet db, to be pushed with submissions. */
export async function writeHeartbeat(config: Config, dbs: Databases, version: string, at: string, lastSync: string | null): Promise<void> {
  const fs = await statfs(config.dataDir).catch(() => null);
  const counts: Record<string, number> = {};
  for (const name of ['content', 'media', 'submissions'] as const) counts[name] = (await dbs[name].info()).doc_count;
  const doc: Heartbeat = {
    _id: config.hubId,
    type: 'heartbeat',
    hubId: config.hubId,
    spaceName: config.spaceName,
    commune: config.commune,
    region: config.region,
    version,
    at,
    uptimeSeconds: Math.round(process.uptime()),
    disk: { freeBytes: fs ? fs.bavail * fs.bsize : 0, totalBytes: fs ? fs.blocks * fs.bsize : 0 },
    temperatureC: null,
    lastSync,
    counts,
  };
  try {
    doc._rev = (await dbs.fleet.get(config.hubId))._rev;
  } catch {
    // first heartbeat
  }
  await dbs.fleet.put(doc as never);
}
