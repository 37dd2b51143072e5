import { randomBytes } from 'node:crypto';
import { AppError, HubId } from '../../content/index.js';
import { couch, expectStatus, type Credentials } from './couch.js';

/** The CouchDB user name of a hub; central's validate_doc_update reads the hub id back from it. */
export function hubUserName(hubId: string): string {
  return `hub-${hubId}`;
}

export interface Enrollment {
  url: string;
  username: string;
  password: string;
}

/**
 * Creates (or re-keys) the hub's user with the `hub` role and a fresh random password.
 * Re-enrolling a hub replaces its password: the old Pi can no longer sync.
 */
export async function enrollHub(url: string, admin: Credentials, hubId: string): Promise<Enrollment> {
  if (!HubId.safeParse(hubId).success) {
    throw new AppError(2, 'bad-hub-id', `hub id "${hubId}" must be 2–40 lowercase letters, digits or dashes, for example "kayes-01"`);
  }
  const username = hubUserName(hubId);
  const password = randomBytes(24).toString('base64url');
  await putUser(url, admin, username, password, 'hub');
  return { url, username, password };
}

/** An editor's user (writes content and media), for publishing packs. */
export async function createEditor(url: string, admin: Credentials, username: string, password: string): Promise<void> {
  await putUser(url, admin, username, password, 'editor');
}

/** A moderator's or a mentor's user (the community: queue, answers, group sessions). */
export async function createCommunityUser(url: string, admin: Credentials, username: string, password: string, role: 'moderator' | 'mentor'): Promise<void> {
  await putUser(url, admin, username, password, role);
}

/** Creates or updates a user in `_users` with one role (CouchDB hashes the password on write). */
async function putUser(url: string, admin: Credentials, username: string, password: string, role: 'hub' | 'editor' | 'moderator' | 'mentor'): Promise<void> {
  const id = `org.couchdb.user:${username}`;
  const path = `_users/${encodeURIComponent(id)}`;
  const existing = await couch<{ _rev?: string }>(url, path, admin);
  const doc = { _id: id, name: username, type: 'user', roles: [role], password, ...(existing.status === 200 ? { _rev: existing.body._rev } : {}) };
  expectStatus(await couch(url, path, admin, { method: 'PUT', body: doc }), [201, 202], `create the ${role} user ${username}`);
}

/** The block to paste into the hub's espace.yaml. */
export function configBlock(e: Enrollment): string {
  return `central:\n  url: ${e.url}\n  username: ${e.username}\n  password: ${e.password}\n`;
}
