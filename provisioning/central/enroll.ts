import { randomBytes } from 'node:crypto';
import { AppError, HubId } from '../../content/index.js';
import { couch, expectStatus, type CookieAuth, type Credentials } from './couch.js';
import { hubDbName } from './design-docs.js';
import { ARCHIVED_SECURITY, ensureHubDb, mergeJobId } from './setup.js';

/** The CouchDB user name of a hub; central's validate_doc_update reads the hub id back from it. */
export function hubUserName(hubId: string): string {
  return `hub-${hubId}`;
}

export interface Enrollment {
  url: string;
  username: string;
  password: string;
}

function checkHubId(hubId: string): void {
  if (!HubId.safeParse(hubId).success) {
    throw new AppError(2, 'bad-hub-id', `hub id "${hubId}" must be 2–40 lowercase letters, digits or dashes, for example "kayes-01"`);
  }
}

/**
 * Creates the hub's own database (`submissions-<hubId>`, its rules and the job merging it) and
 * then (or re-keys) the hub's user with the `hub` role and a fresh random password.
 * Re-enrolling a hub replaces its password: the old Pi can no longer sync.
 */
export async function enrollHub(url: string, admin: Credentials, hubId: string): Promise<Enrollment> {
  checkHubId(hubId);
  await ensureHubDb(url, admin, hubId);
  const username = hubUserName(hubId);
  const password = randomBytes(24).toString('base64url');
  await putUser(url, admin, username, password, ['hub']);
  return { url, username, password };
}

/**
 * Enrolls hubs one after another, never together: each `_users` write costs CouchDB a PBKDF2
 * hash (600 000 iterations, about 0.3 s of CPU), and a burst of them answered 500s. Every id is
 * checked before the first is enrolled, so a typo enrolls nothing.
 */
export async function enrollHubs(
  url: string,
  admin: Credentials,
  hubIds: readonly string[],
  each?: (e: Enrollment, hubId: string) => void
): Promise<Enrollment[]> {
  for (const id of hubIds) checkHubId(id);
  const done: Enrollment[] = [];
  for (const id of hubIds) {
    const e = await enrollQueue.run(() => enrollHub(url, admin, id));
    done.push(e);
    each?.(e, id);
  }
  return done;
}

/** One enrollment at a time in this process (the console's accounts page and the CLI share it). */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
export const enrollQueue = new Queue();

export interface HubRemoval {
  hubId: string;
  userRemoved: boolean;
  jobRemoved: boolean;
  /** The hub's database is kept, readable by administrators only. */
  archived: string;
}

/**
 * Removes a hub: its user (the Pi can no longer sync), its merge job after one last merge, and
 * archives its database (kept, administrators only). Its submissions stay in `submissions`.
 */
export async function removeHub(url: string, admin: Credentials, hubId: string): Promise<HubRemoval> {
  checkHubId(hubId);
  const db = hubDbName(hubId);
  const userPath = `_users/${encodeURIComponent(`org.couchdb.user:${hubUserName(hubId)}`)}`;
  const user = await couch<{ _rev?: string }>(url, userPath, admin);
  const jobPath = `_replicator/${encodeURIComponent(mergeJobId(hubId))}`;
  const job = await couch<{ _rev?: string; source?: unknown; target?: unknown }>(url, jobPath, admin);
  if (user.status === 404 && job.status === 404) {
    throw new AppError(2, 'unknown-hub', `central has no hub "${hubId}"; "espace fleet --central URL" lists the hubs`);
  }
  if (user.status === 200)
    expectStatus(await couch(url, `${userPath}?rev=${user.body._rev}`, admin, { method: 'DELETE' }), [200, 202], `remove the user of ${hubId}`);
  if (job.status === 200) {
    // What reached the hub's database since the job's last pass is merged before the job goes.
    expectStatus(
      await couch(url, '_replicate', admin, { method: 'POST', body: { source: job.body.source, target: job.body.target } }),
      [200],
      `merge the last submissions of ${hubId}`
    );
    expectStatus(await couch(url, `${jobPath}?rev=${job.body._rev}`, admin, { method: 'DELETE' }), [200, 202], `remove the merge job of ${hubId}`);
  }
  const head = await couch(url, encodeURIComponent(db), admin);
  if (head.status === 200)
    expectStatus(await couch(url, `${encodeURIComponent(db)}/_security`, admin, { method: 'PUT', body: ARCHIVED_SECURITY }), [200], `archive ${db}`);
  return { hubId, userRemoved: user.status === 200, jobRemoved: job.status === 200, archived: db };
}

/** Removes a person's account (editor or analyst); a hub is removed with removeHub. */
export async function removeUser(url: string, admin: Credentials | CookieAuth, username: string): Promise<void> {
  const path = `_users/${encodeURIComponent(`org.couchdb.user:${username}`)}`;
  const user = await couch<{ _rev?: string; roles?: string[] }>(url, path, admin);
  if (user.status === 404) throw new AppError(2, 'unknown-user', `central has no account "${username}"`);
  expectStatus(user, [200], `read the account ${username}`);
  if (user.body.roles?.includes('hub'))
    throw new AppError(2, 'is-a-hub', `"${username}" is a hub; remove it with: espace central hub remove ${username.replace(/^hub-/, '')}`);
  expectStatus(await couch(url, `${path}?rev=${user.body._rev}`, admin, { method: 'DELETE' }), [200, 202], `remove the account ${username}`);
}

/** An editor's user (writes content and media), for publishing packs. */
export async function createEditor(url: string, admin: Credentials, username: string, password: string): Promise<void> {
  await putUser(url, admin, username, password, ['editor']);
}

/** The roles a person's account may hold at central (a hub's account is made by enrollHub). */
export const PERSON_ROLES = ['editor', 'analyst', 'moderator', 'mentor', 'jury', 'official'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** A moderator's or a mentor's user (the community: queue, answers, group sessions). */
export async function createCommunityUser(url: string, admin: Credentials, username: string, password: string, role: 'moderator' | 'mentor'): Promise<void> {
  await putUser(url, admin, username, password, [role]);
}

/** Creates or updates a user in `_users` with these roles (CouchDB hashes the password on write). */
export async function putUser(url: string, admin: Credentials | CookieAuth, username: string, password: string, roles: readonly string[]): Promise<void> {
  const id = `org.couchdb.user:${username}`;
  const path = `_users/${encodeURIComponent(id)}`;
  const existing = await couch<{ _rev?: string }>(url, path, admin);
  const doc = { _id: id, name: username, type: 'user', roles: [...roles], password, ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) };
  expectStatus(await couch(url, path, admin, { method: 'PUT', body: doc }), [201, 202], `create the ${roles.join('+')} user ${username}`);
}

/** The block to paste into the hub's espace.yaml. */
export function configBlock(e: Enrollment): string {
  return `central:\n  url: ${e.url}\n  username: ${e.username}\n  password: ${e.password}\n`;
}
