import { join } from 'node:path';
import { unconfirmedSubmissionIds, type Databases } from '../../hub/index.js';
import { writeAtomic } from '../render/index.js';
import { sealBundle, type BundleContent, type BundleSecret } from './bundle.js';

type Doc = Record<string, unknown>;

/** Docs with their revision history and attachments inline, as replication carries them. */
async function fullDocs(db: PouchDB.Database<Doc>, ids: string[]): Promise<Doc[]> {
  if (ids.length === 0) return [];
  const res = await db.bulkGet({ docs: ids.map((id) => ({ id })), revs: true, attachments: true });
  const docs: Doc[] = [];
  for (const r of res.results) for (const d of r.docs) if ('ok' in d) docs.push(d.ok);
  return docs;
}

/**
 * What the hub has not yet handed to central: submissions changed since the last push central
 * acknowledged (the sync engine's "confirmed in Bamako"), and this hub's heartbeat.
 */
export async function collectUnsynced(dbs: Databases, hubId: string): Promise<BundleContent> {
  const ids = await unconfirmedSubmissionIds(dbs.submissions);
  const heartbeat = await dbs.fleet.get(hubId).then(
    () => [hubId],
    () => []
  );
  return { dbs: { submissions: await fullDocs(dbs.submissions, ids), fleet: await fullDocs(dbs.fleet, heartbeat) } };
}

/** Seals the unsynced docs into `<dir>/espace-bundles/<hub>-<time>.esbundle`, written whole (fsync, rename). */
export async function exportBundle(
  dbs: Databases,
  hubId: string,
  secret: BundleSecret,
  dir: string,
  now = new Date()
): Promise<{ path: string; counts: Record<string, number>; bytes: number }> {
  const content = await collectUnsynced(dbs, hubId);
  const file = sealBundle(hubId, content, secret, now);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const path = join(dir, 'espace-bundles', `${hubId}-${stamp}.esbundle`);
  await writeAtomic(path, file, 0o600);
  return { path, counts: Object.fromEntries(Object.entries(content.dbs).map(([k, v]) => [k, v.length])), bytes: file.length };
}
