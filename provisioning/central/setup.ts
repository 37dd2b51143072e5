import { createHmac } from 'node:crypto';
import {
  CENTRAL_DBS,
  COMMUNITY_TYPES,
  JURY_TYPES,
  OPPORTUNITY_TYPES,
  STUDIO_TYPES,
  DESIGN_DOC_ID,
  designDocFor,
  hubDbName,
  type CentralDb,
  type DbKind,
  type DesignDoc,
} from './design-docs.js';
import { couch, expectStatus, type CookieAuth, type Credentials } from './couch.js';

type Security = { members: { roles: string[]; names: string[] }; admins: { roles: string[]; names: string[] } };
const members = (roles: string[], names: string[] = []): Security => ({ members: { roles, names }, admins: { roles: [], names: [] } });

/**
 * Who may read each database (CouchDB `_security`); what each may *write* is decided by the
 * validate_doc_update design docs. Hubs read content and media; each hub pushes into its own
 * `submissions-<hubId>` (see hubSecurity), which central's replicator merges into `submissions`
 * and copies heartbeats from into `fleet`: those two are read by analysts (and admins) only, so
 * no hub's password reads another hub's data. No role is a db admin: only server admins change
 * design docs and security.
 */
export const SECURITY: Record<CentralDb, Security> = {
  content: members(['hub', 'editor', 'analyst', 'moderator', 'mentor', 'jury', 'official']),
  media: members(['hub', 'editor', 'analyst', 'moderator', 'mentor', 'official']),
  submissions: members(['analyst', 'replicator']),
  fleet: members(['analyst', 'replicator']),
  // The moderators' queue and log: never readable by hubs.
  moderation: members(['moderator', 'mentor']),
  // Members' posts, flags and questions, copied from `submissions` by the replicator (COMMUNITY_TYPES).
  community: members(['moderator', 'mentor', 'analyst', 'replicator']),
  // The studio's contributions (STUDIO_TYPES) and the editors' reviews of them.
  studio: members(['editor', 'analyst', 'replicator']),
  // Members' "intéressé(e)" (OPPORTUNITY_TYPES), counted for the editors who publish opportunities.
  opportunities: members(['editor', 'analyst', 'replicator']),
  // Applications to calls (with their contacts) and reports (JURY_TYPES), the jurors' assessments, the results' log.
  jury: members(['jury', 'editor', 'analyst', 'replicator']),
};

/** A hub's own database: that hub's user, and central's replicator which merges it. */
export function hubSecurity(hubId: string): Security {
  return members(['replicator'], [`hub-${hubId}`]);
}

/** An archived hub's database (`central hub remove`): administrators only. */
export const ARCHIVED_SECURITY: Security = members(['_admin']);

/** Jobs and their credentials: administrators only. */
const REPLICATOR_SECURITY: Security = members(['_admin']);

/** The user CouchDB's replicator merges with: member of the hubs' databases, writer of `submissions` and `fleet`. */
export const REPLICATOR_USER = 'espace-replicator';
export const FLEET_JOB_ID = 'espace-fleet';
export const COMMUNITY_JOB_ID = 'espace-community';
export const STUDIO_JOB_ID = 'espace-studio';
export const OPPORTUNITIES_JOB_ID = 'espace-opportunities';
export const JURY_JOB_ID = 'espace-jury';
export const mergeJobId = (hubId: string): string => `espace-merge-${hubId}`;

/**
 * The replicator user's password, derived from the administrator's (HMAC): setup and enroll
 * compute the same one without keeping it anywhere; a new admin password gives a new one at
 * the next `setup`, which rewrites the jobs.
 */
export function replicatorPassword(admin: Credentials): string {
  return createHmac('sha256', admin.password).update(`${REPLICATOR_USER}@${admin.username}`).digest('base64url');
}

export interface SetupReport {
  created: string[];
  designDocsUpdated: string[];
  securitySet: string[];
  /** Replication jobs written in `_replicator`. */
  jobsWritten: string[];
  /** Node configuration changed, e.g. "nonode@nohost attachments/compressible_types". */
  configSet: string[];
}

export interface SetupOptions {
  /** CouchDB as CouchDB's own replicator reaches itself (default: the URL given). */
  replicationUrl?: string;
}

const emptyReport = (): SetupReport => ({ created: [], designDocsUpdated: [], securitySet: [], jobsWritten: [], configSet: [] });

async function ensureDb(url: string, admin: Credentials, db: string, report: SetupReport): Promise<void> {
  const head = await couch(url, encodeURIComponent(db), admin);
  if (head.status === 404) {
    const made = await couch(url, encodeURIComponent(db), admin, { method: 'PUT' });
    expectStatus(made, [201, 202, 412], `create the database ${db}`);
    if (made.status !== 412) report.created.push(db);
  } else expectStatus(head, [200], `read the database ${db}`);
}

async function ensureSecurity(url: string, admin: Credentials, db: string, wanted: Security, report: SetupReport): Promise<void> {
  const current = await couch(url, `${encodeURIComponent(db)}/_security`, admin);
  expectStatus(current, [200], `read the security of ${db}`);
  if (JSON.stringify(current.body) === JSON.stringify(wanted)) return;
  expectStatus(await couch(url, `${encodeURIComponent(db)}/_security`, admin, { method: 'PUT', body: wanted }), [200], `set the security of ${db}`);
  report.securitySet.push(db);
}

async function ensureDesignDoc(url: string, admin: Credentials, db: string, kind: DbKind, report: SetupReport): Promise<void> {
  const wanted = designDocFor(kind);
  const path = `${encodeURIComponent(db)}/${DESIGN_DOC_ID}`;
  const existing = await couch<Partial<DesignDoc>>(url, path, admin);
  if (existing.status === 200 && existing.body.rulesHash === wanted.rulesHash) return;
  const doc = existing.status === 200 ? { ...wanted, _rev: existing.body._rev } : wanted;
  expectStatus(await couch(url, path, admin, { method: 'PUT', body: doc }), [201, 202], `write the design document of ${db}`);
  report.designDocsUpdated.push(db);
}

/** A `_replicator` job, written only when it differs from what is there. */
async function ensureJob(url: string, admin: Credentials, id: string, job: Record<string, unknown>, report: SetupReport): Promise<void> {
  const path = `_replicator/${encodeURIComponent(id)}`;
  const existing = await couch(url, path, admin);
  if (existing.status === 200) {
    const same = Object.keys(job).every((k) => JSON.stringify(existing.body[k]) === JSON.stringify(job[k]));
    if (same) return;
  }
  const doc = { _id: id, ...job, ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) };
  expectStatus(await couch(url, path, admin, { method: 'PUT', body: doc }), [201, 202], `write the replication job ${id}`);
  report.jobsWritten.push(id);
}

/** The replication endpoint of one database, with the replicator's credentials (CouchDB 3.2+ `auth.basic`). */
function endpoint(base: string, db: string, admin: Credentials): Record<string, unknown> {
  return { url: `${base.replace(/\/+$/, '')}/${encodeURIComponent(db)}`, auth: { basic: { username: REPLICATOR_USER, password: replicatorPassword(admin) } } };
}

/** Where this central's jobs reach CouchDB: read back from the fleet job setup wrote, else the URL given. */
async function replicationBase(url: string, admin: Credentials, given?: string): Promise<string> {
  if (given) return given;
  const job = await couch<{ target?: { url?: string } }>(url, `_replicator/${FLEET_JOB_ID}`, admin);
  const target = job.status === 200 ? job.body.target?.url : undefined;
  return target ? target.replace(/\/fleet$/, '') : url;
}

/** The replicator's user, with its derived password (written when missing, or after the admin password changed). */
async function ensureReplicatorUser(url: string, admin: Credentials, report: SetupReport): Promise<void> {
  const password = replicatorPassword(admin);
  const probe = await fetch(new URL('_session', url.endsWith('/') ? url : url + '/'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name: REPLICATOR_USER, password }),
  });
  await probe.arrayBuffer();
  if (probe.status === 200) return;
  const id = `_users/${encodeURIComponent(`org.couchdb.user:${REPLICATOR_USER}`)}`;
  const existing = await couch<{ _rev?: string }>(url, id, admin);
  const doc = {
    _id: `org.couchdb.user:${REPLICATOR_USER}`,
    name: REPLICATOR_USER,
    type: 'user',
    roles: ['replicator'],
    password,
    ...(existing.status === 200 ? { _rev: existing.body._rev } : {}),
  };
  expectStatus(await couch(url, id, admin, { method: 'PUT', body: doc }), [201, 202], `create the user ${REPLICATOR_USER}`);
  report.created.push(`user ${REPLICATOR_USER}`);
}

/** Attachments never stored compressed, on every node: Range then works on every media type. */
async function ensureUncompressedAttachments(url: string, admin: Credentials, report: SetupReport): Promise<void> {
  const membership = await couch<{ all_nodes?: string[] }>(url, '_membership', admin);
  expectStatus(membership, [200], 'list the nodes of the cluster');
  for (const node of membership.body.all_nodes ?? []) {
    const path = `_node/${encodeURIComponent(node)}/_config/attachments/compressible_types`;
    const current = await couch<unknown>(url, path, admin);
    if (current.status === 200 && current.body === '') continue;
    expectStatus(await couch(url, path, admin, { method: 'PUT', body: '' }), [200], `set [attachments] compressible_types on ${node}`);
    report.configSet.push(`${node} attachments/compressible_types`);
  }
}

/** A hub's own database, its security, its rules and the job merging it into `submissions`. */
export async function ensureHubDb(url: string, admin: Credentials, hubId: string, report: SetupReport = emptyReport(), base?: string): Promise<SetupReport> {
  const db = hubDbName(hubId);
  const from = base ?? (await replicationBase(url, admin));
  await ensureDb(url, admin, db, report);
  await ensureSecurity(url, admin, db, hubSecurity(hubId), report);
  await ensureDesignDoc(url, admin, db, 'hub', report);
  await ensureJob(
    url,
    admin,
    mergeJobId(hubId),
    { source: endpoint(from, db, admin), target: endpoint(from, 'submissions', admin), continuous: true, create_target: false },
    report
  );
  return report;
}

/** The hub ids of every hub user in `_users`. */
export async function enrolledHubs(url: string, admin: Credentials | CookieAuth): Promise<string[]> {
  const q = `_users/_all_docs?startkey=${encodeURIComponent(JSON.stringify('org.couchdb.user:hub-'))}&endkey=${encodeURIComponent(JSON.stringify('org.couchdb.user:hub-\ufff0'))}`;
  const res = await couch<{ rows: { id: string }[] }>(url, q, admin);
  expectStatus(res, [200], 'list the hubs’ users');
  return res.body.rows.map((r) => r.id.slice('org.couchdb.user:hub-'.length));
}

/**
 * Creates central's databases, security objects, design docs, the replicator's user and jobs,
 * and each enrolled hub's own database. Safe to run again: it changes only what differs.
 */
export async function setupCentral(url: string, admin: Credentials, options: SetupOptions = {}): Promise<SetupReport> {
  const report = emptyReport();
  // CouchDB 3 single node wants its system dbs; the stand-in answers 412 (exists) or creates them.
  for (const db of ['_users', '_replicator', ...CENTRAL_DBS]) await ensureDb(url, admin, db, report);
  await ensureSecurity(url, admin, '_replicator', REPLICATOR_SECURITY, report);
  for (const db of CENTRAL_DBS) {
    await ensureSecurity(url, admin, db, SECURITY[db], report);
    await ensureDesignDoc(url, admin, db, db, report);
  }
  await ensureUncompressedAttachments(url, admin, report);
  await ensureReplicatorUser(url, admin, report);
  const base = await replicationBase(url, admin, options.replicationUrl);
  await ensureJob(
    url,
    admin,
    FLEET_JOB_ID,
    {
      source: endpoint(base, 'submissions', admin),
      target: endpoint(base, 'fleet', admin),
      continuous: true,
      create_target: false,
      selector: { type: 'heartbeat' },
    },
    report
  );
  await ensureJob(
    url,
    admin,
    COMMUNITY_JOB_ID,
    {
      source: endpoint(base, 'submissions', admin),
      target: endpoint(base, 'community', admin),
      continuous: true,
      create_target: false,
      selector: { type: { $in: [...COMMUNITY_TYPES] } },
    },
    report
  );
  await ensureJob(
    url,
    admin,
    STUDIO_JOB_ID,
    {
      source: endpoint(base, 'submissions', admin),
      target: endpoint(base, 'studio', admin),
      continuous: true,
      create_target: false,
      selector: { type: { $in: [...STUDIO_TYPES] } },
    },
    report
  );
  await ensureJob(
    url,
    admin,
    OPPORTUNITIES_JOB_ID,
    {
      source: endpoint(base, 'submissions', admin),
      target: endpoint(base, 'opportunities', admin),
      continuous: true,
      create_target: false,
      selector: { type: { $in: [...OPPORTUNITY_TYPES] } },
    },
    report
  );
  await ensureJob(
    url,
    admin,
    JURY_JOB_ID,
    {
      source: endpoint(base, 'submissions', admin),
      target: endpoint(base, 'jury', admin),
      continuous: true,
      create_target: false,
      selector: { type: { $in: [...JURY_TYPES] } },
    },
    report
  );
  for (const hubId of await enrolledHubs(url, admin)) await ensureHubDb(url, admin, hubId, report, base);
  return report;
}
