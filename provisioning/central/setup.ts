import { CENTRAL_DBS, DESIGN_DOC_ID, designDocFor, type CentralDb, type DesignDoc } from './design-docs.js';
import { couch, expectStatus, type Credentials } from './couch.js';

/**
 * Who may read each database (CouchDB `_security`). Hubs read content and media and must be
 * members of submissions and fleet to push there; what they may *write* is decided by the
 * validate_doc_update design docs. Editors are members everywhere; no role is a db admin,
 * so only server admins change design docs and security.
 */
export const SECURITY: Record<CentralDb, { members: { roles: string[]; names: string[] }; admins: { roles: string[]; names: string[] } }> = {
  content: { members: { roles: ['hub', 'editor', 'moderator', 'mentor'], names: [] }, admins: { roles: [], names: [] } },
  media: { members: { roles: ['hub', 'editor', 'moderator', 'mentor'], names: [] }, admins: { roles: [], names: [] } },
  submissions: { members: { roles: ['hub', 'editor', 'moderator', 'mentor'], names: [] }, admins: { roles: [], names: [] } },
  fleet: { members: { roles: ['hub', 'editor'], names: [] }, admins: { roles: [], names: [] } },
  // The moderators' queue and log: never readable by hubs.
  moderation: { members: { roles: ['moderator', 'mentor'], names: [] }, admins: { roles: [], names: [] } },
};

export interface SetupReport {
  created: string[];
  designDocsUpdated: string[];
  securitySet: string[];
}

/** Creates central's databases, security objects and design docs. Safe to run again: it changes only what differs. */
export async function setupCentral(url: string, admin: Credentials): Promise<SetupReport> {
  const report: SetupReport = { created: [], designDocsUpdated: [], securitySet: [] };
  // CouchDB 3 single node wants its system dbs; the stand-in answers 412 (exists) or creates them.
  for (const db of ['_users', ...CENTRAL_DBS]) {
    const head = await couch(url, encodeURIComponent(db), admin);
    if (head.status === 404) {
      const made = await couch(url, encodeURIComponent(db), admin, { method: 'PUT' });
      expectStatus(made, [201, 202, 412], `create the database ${db}`);
      if (made.status !== 412) report.created.push(db);
    } else expectStatus(head, [200], `read the database ${db}`);
  }
  for (const db of CENTRAL_DBS) {
    const current = await couch(url, `${db}/_security`, admin);
    expectStatus(current, [200], `read the security of ${db}`);
    if (JSON.stringify(current.body) !== JSON.stringify(SECURITY[db])) {
      expectStatus(await couch(url, `${db}/_security`, admin, { method: 'PUT', body: SECURITY[db] }), [200], `set the security of ${db}`);
      report.securitySet.push(db);
    }
    const wanted = designDocFor(db);
    const existing = await couch<Partial<DesignDoc>>(url, `${db}/${DESIGN_DOC_ID}`, admin);
    if (existing.status === 200 && existing.body.rulesHash === wanted.rulesHash) continue;
    const doc = existing.status === 200 ? { ...wanted, _rev: existing.body._rev } : wanted;
    expectStatus(await couch(url, `${db}/${DESIGN_DOC_ID}`, admin, { method: 'PUT', body: doc }), [201, 202], `write the design document of ${db}`);
    report.designDocsUpdated.push(db);
  }
  return report;
}
