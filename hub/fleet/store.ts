import { statfs } from 'node:fs/promises';
import { Heartbeat, heartbeatOf, nullIfNotFound, parseWith } from '../../content/index.js';
import type { Config } from '../config/index.js';
import { putDoc, type Database, type Databases } from '../storage/index.js';

/** Tries of one write when another writer put a newer revision between our read and our put. */
const ATTEMPTS = 3;

/**
 * The one writer of this hub's heartbeat doc (id = hub id, in `fleet`): reads the stored doc,
 * lets `next` make the new one from it, validates it and puts it; on a conflict (the schedule
 * and the sync both write it) reads again and retries, up to three times in all.
 */
export async function writeHeartbeat(db: Database, id: string, next: (current: Heartbeat | null) => Heartbeat | Promise<Heartbeat>): Promise<Heartbeat> {
  for (let attempt = 1; ; attempt += 1) {
    // The revision comes from whatever is stored, so a doc an older version wrote is overwritten, not a conflict forever.
    const stored = await db.get(id).catch(nullIfNotFound);
    const current = heartbeatOf(stored);
    const { _rev: _ignored, ...made } = await next(current);
    const doc = parseWith(Heartbeat, { ...made, _id: id }, 'invalid-heartbeat', 500);
    try {
      await putDoc(db, { ...doc, ...(stored ? { _rev: stored._rev } : {}) });
      return doc;
    } catch (e) {
      if ((e as { status?: number }).status !== 409 || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** What names this hub in its heartbeat. */
export function hubIdentity(config: Config): Pick<Heartbeat, '_id' | 'type' | 'hubId' | 'spaceName' | 'commune' | 'region'> {
  return { _id: config.hubId, type: 'heartbeat', hubId: config.hubId, spaceName: config.spaceName, commune: config.commune, region: config.region };
}

/** The parts of a heartbeat that move between two writes: uptime, disk and document counts. */
export async function measureHub(config: Config, dbs: Databases): Promise<Pick<Heartbeat, 'uptimeSeconds' | 'disk' | 'counts'>> {
  const fs = await statfs(config.dataDir);
  const counts: Record<string, number> = {};
  for (const name of ['content', 'media', 'submissions'] as const) counts[name] = (await dbs[name].info()).doc_count;
  return { uptimeSeconds: Math.round(process.uptime()), disk: { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize }, counts };
}

/**
 * Freshens the heartbeat just before the sync pushes it, so central sees it as of this sync:
 * only the moving parts change; what the scheduled writer measured (temperature, TLS) is kept.
 */
export async function freshenHeartbeat(o: { config: Config; dbs: Databases; version: string; at: string; lastSync: string | null }): Promise<Heartbeat> {
  const { config, dbs } = o;
  const moving = { ...(await measureHub(config, dbs)), version: o.version, at: o.at, lastSync: o.lastSync };
  return writeHeartbeat(dbs.fleet, config.hubId, (current) =>
    current ? { ...current, ...moving, counts: { ...current.counts, ...moving.counts } } : { ...hubIdentity(config), temperatureC: null, ...moving }
  );
}
