import { AppError, hubCentralDb } from '../../content/index.js';
import type { BundleContent } from './bundle.js';

/** Only what hubs write may arrive by USB: never content or media. */
const ALLOWED = ['submissions', 'fleet'] as const;
const BATCH = 200;

export interface Credentials {
  username: string;
  password: string;
}

export interface LoadResult {
  /** Docs (revisions) central did not have and now has. */
  written: number;
  /** Docs whose revision central already had (an earlier load, or sync). */
  skipped: number;
  /** Docs central refused (its validate_doc_update), with the reason. */
  refused: { db: string; id: string; reason: string }[];
}

async function post(url: string, auth: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new AppError(502, 'central-unreachable', `cannot reach central at ${new URL(url).origin} (${code}); check the address and the uplink`);
  }
  if (res.status === 401 || res.status === 403)
    throw new AppError(
      401,
      'central-refused',
      "central refused these credentials; use the hub's own central account (ESPACE_CENTRAL_USERNAME and ESPACE_CENTRAL_PASSWORD)"
    );
  if (!res.ok && res.status !== 201)
    throw new AppError(502, 'central-error', `central answered ${res.status} to ${new URL(url).pathname}: ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

/**
 * Loads a bundle into central the way replication would, into the hub's own database
 * (`submissions-<hubId>`, where its sync pushes both submissions and heartbeat; central's
 * replicator merges it): `_revs_diff` says which revisions
 * central lacks, `_bulk_docs` with `new_edits: false` stores exactly those, with the hub's own
 * revision ids. So a bundle loaded twice, or after sync brought the same docs, changes nothing.
 */
export async function loadIntoCentral(content: BundleContent, hubId: string, centralUrl: string, creds: Credentials): Promise<LoadResult> {
  const base = centralUrl.endsWith('/') ? centralUrl : `${centralUrl}/`;
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const result: LoadResult = { written: 0, skipped: 0, refused: [] };
  for (const [db, docs] of Object.entries(content.dbs)) {
    if (!(ALLOWED as readonly string[]).includes(db))
      throw new AppError(422, 'bundle-unexpected-db', `the bundle carries "${db}", which only central writes; refusing it`);
    const target = encodeURIComponent(hubCentralDb(hubId));
    for (let i = 0; i < docs.length; i += BATCH) {
      const batch = docs.slice(i, i + BATCH) as { _id: string; _rev: string }[];
      const diff = (await post(new URL(`${target}/_revs_diff`, base).href, auth, Object.fromEntries(batch.map((d) => [d._id, [d._rev]])))) as Record<
        string,
        { missing?: string[] }
      >;
      const missing = batch.filter((d) => diff[d._id]?.missing?.includes(d._rev));
      result.skipped += batch.length - missing.length;
      if (missing.length === 0) continue;
      const res = (await post(new URL(`${target}/_bulk_docs`, base).href, auth, { docs: missing, new_edits: false })) as {
        id: string;
        error?: string;
        reason?: string;
      }[];
      const errors = new Map(res.filter((r) => r.error).map((r) => [r.id, r.reason ?? r.error!]));
      for (const d of missing) {
        if (errors.has(d._id)) result.refused.push({ db, id: d._id, reason: errors.get(d._id)! });
        else result.written += 1;
      }
    }
  }
  return result;
}
