import { couch, expectStatus, type Credentials } from './couch.js';
import { hubDbName } from './design-docs.js';
import { enrolledHubs, setupCentral, type SetupOptions, type SetupReport } from './setup.js';

export interface MigrationReport extends SetupReport {
  /** Per hub: docs copied from `submissions` into its own database. */
  copied: Record<string, number>;
}

/**
 * Moves a central set up the old way (every hub pushing into one `submissions` it could read)
 * to one database per hub: runs setup (which tightens the security objects, writes the
 * replicator's user and jobs and each enrolled hub's database), then copies each hub's
 * existing submissions into its own database with their revisions, so the hub's next push
 * finds them there and sends only what is new. Idempotent: a second run copies nothing.
 * Upgrade central first, then the hubs (an upgraded hub pushes into submissions-<hubId>).
 */
export async function migrateCentral(url: string, admin: Credentials, options: SetupOptions = {}): Promise<MigrationReport> {
  const report: MigrationReport = { ...(await setupCentral(url, admin, options)), copied: {} };
  const base = (options.replicationUrl ?? url).replace(/\/+$/, '');
  const auth = { basic: { username: admin.username, password: admin.password } };
  for (const hubId of await enrolledHubs(url, admin)) {
    const target = hubDbName(hubId);
    const res = await couch<{ history?: { docs_written?: number }[] }>(url, '_replicate', admin, {
      method: 'POST',
      body: {
        source: { url: `${base}/submissions`, auth },
        target: { url: `${base}/${encodeURIComponent(target)}`, auth },
        selector: { _id: { $regex: `^${hubId}:` } },
      },
    });
    expectStatus(res, [200], `copy the submissions of ${hubId} into ${target}`);
    report.copied[hubId] = res.body.history?.[0]?.docs_written ?? 0;
  }
  return report;
}
