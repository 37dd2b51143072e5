import { hubIdOf } from '../../content/index.js';
import { couch, expectStatus, type Credentials } from './couch.js';
import { hubDbName } from './design-docs.js';

const CHECKPOINT = '_local/espace-erasures';

export interface ErasureReport {
  /** Ids whose revisions were purged from the hub's database and from `submissions`. */
  purged: string[];
  /** Where the next run starts in `submissions`' changes (an opaque CouchDB sequence). */
  since: string;
}

/**
 * Erasure that erases: a deletion (a member erased on a hub) that has reached the merged
 * `submissions` is purged there and from the hub's own database, so no revision holding the
 * person's name or phone stays readable with `?rev=`; both databases are then compacted (which
 * drops the old bodies of edited docs, such as anonymised attendance). Picks up where it
 * stopped (a checkpoint in `submissions`); running it twice purges nothing more.
 */
export async function purgeErasures(url: string, admin: Credentials, opts: { batch?: number } = {}): Promise<ErasureReport> {
  const limit = opts.batch ?? 500;
  const cp = await couch<{ _rev?: string; since?: string }>(url, `submissions/${CHECKPOINT}`, admin);
  let since: string = cp.status === 200 && cp.body.since !== undefined ? cp.body.since : '0';
  const purged: string[] = [];
  const touched = new Set<string>();
  for (;;) {
    const page = await couch<{ results: { id: string; deleted?: boolean; changes: { rev: string }[] }[]; last_seq: string | number }>(
      url,
      `submissions/_changes?style=all_docs&limit=${limit}&since=${encodeURIComponent(since)}`,
      admin
    );
    expectStatus(page, [200], 'read the changes of submissions');
    for (const row of page.body.results) {
      if (!row.deleted || row.id.startsWith('_')) continue;
      const hubDb = hubDbName(hubIdOf(row.id));
      const leaves = await couch<{ ok?: { _rev: string } }[]>(url, `${encodeURIComponent(hubDb)}/${encodeURIComponent(row.id)}?open_revs=all`, admin);
      if (leaves.status === 200 && Array.isArray(leaves.body)) {
        const revs = leaves.body.flatMap((l) => (l.ok ? [l.ok._rev] : []));
        if (revs.length) {
          expectStatus(
            await couch(url, `${encodeURIComponent(hubDb)}/_purge`, admin, { method: 'POST', body: { [row.id]: revs } }),
            [200, 201, 202],
            `purge ${row.id} from ${hubDb}`
          );
          touched.add(hubDb);
        }
      }
      expectStatus(
        await couch(url, 'submissions/_purge', admin, { method: 'POST', body: { [row.id]: row.changes.map((c) => c.rev) } }),
        [200, 201, 202],
        `purge ${row.id} from submissions`
      );
      touched.add('submissions');
      purged.push(row.id);
    }
    // Sequences are opaque strings (CouchDB 3): kept and sent back as they came.
    since = String(page.body.last_seq);
    if (page.body.results.length < limit) break;
  }
  for (const db of touched)
    expectStatus(await couch(url, `${encodeURIComponent(db)}/_compact`, admin, { method: 'POST', body: {} }), [200, 202], `compact ${db}`);
  const latest = await couch<{ _rev?: string }>(url, `submissions/${CHECKPOINT}`, admin);
  const doc = { since, ...(latest.status === 200 ? { _rev: latest.body._rev } : {}) };
  expectStatus(await couch(url, `submissions/${CHECKPOINT}`, admin, { method: 'PUT', body: doc }), [200, 201, 202], 'save where the erasure purge stopped');
  return { purged, since };
}
