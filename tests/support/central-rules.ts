import assert from 'node:assert/strict';
import { designDocFor, type DbKind } from '../../provisioning/central/design-docs.js';

/** Central's validate_doc_update for one database, as CouchDB runs it (its source, evaluated). */
export type Validate = (doc: object, old: object | null, user: { name: string | null; roles: string[] }) => void;
export const validator = (db: DbKind): Validate => (0, eval)(`(${designDocFor(db).validate_doc_update})`);

/** The sentence `fn` is refused with (CouchDB's `forbidden`); fails when it is accepted. */
export function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as { forbidden: string }).forbidden;
  }
  assert.fail('the document was accepted');
}

/** Central's users as the validators see them: the hub kayes-01 and an editor. */
export const HUB_USER = { name: 'hub-kayes-01', roles: ['hub'] };
export const EDITOR = { name: 'ed', roles: ['editor'] };

/** A valid heartbeat of the hub kayes-01. */
export const HEARTBEAT = {
  _id: 'kayes-01',
  type: 'heartbeat',
  hubId: 'kayes-01',
  spaceName: 'Kayes',
  commune: 'kayes',
  region: 'kayes',
  version: '0.1.0',
  at: '2026-11-22T09:00:00Z',
  uptimeSeconds: 5,
  disk: { freeBytes: 1, totalBytes: 2 },
  temperatureC: null,
  lastSync: null,
  counts: {},
};
