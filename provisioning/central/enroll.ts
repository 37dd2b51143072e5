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
  await putUser(url, admin, username, password, ['hub']);
  return { url, username, password };
}

/** An editor's user (writes content and media), for publishing packs. */
export async function createEditor(url: string, admin: Credentials, username: string, password: string): Promise<void> {
  await putUser(url, admin, username, password, ['editor']);
}

/** The roles a person's account may hold at central (a hub's account is made by enrollHub). */
export const PERSON_ROLES = ['editor', 'analyst'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Creates or updates a user in `_users` with these roles (CouchDB hashes the password on write). */
export async function putUser(url: string, admin: Credentials, username: string, password: string, roles: readonly string[]): Promise<void> {
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
