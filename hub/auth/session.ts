import { randomBytes } from 'node:crypto';
import { ExpiringSessions, type Expiring, type ExpiringOptions } from './expiring-sessions.js';
import type { Role } from './users.js';

export const SESSION_COOKIE = 'espace_session';

/**
 * One signed-in person. `R` is the roles of the console that made it: the hub's console
 * (facilitator, technician) or central's (admin, editor, analyst), which reuses this store.
 */
export interface Session<R extends string = Role> extends Expiring {
  readonly username: string;
  /** The role shown on the page. */
  readonly role: R;
  /** Every role held (the hub's accounts hold one; a CouchDB user may hold several). */
  readonly roles: readonly R[];
  /** The synchroniser token every form of this session carries. */
  readonly csrf: string;
  /** One message shown on the next page (after a redirect), then dropped. */
  flash?: string;
}

export type SessionOptions = ExpiringOptions;

/** The consoles' sessions (the hub's /admin, central's /console): see ExpiringSessions. */
export class SessionStore<R extends string = Role> extends ExpiringSessions<Session<R>> {
  create(user: { username: string; role: R; roles?: readonly R[] }): Session<R> {
    return this.open({ username: user.username, role: user.role, roles: user.roles ?? [user.role], csrf: randomBytes(32).toString('base64url') });
  }

  /** Ends every session of an account (removed, or its password changed). */
  destroyUser(username: string): void {
    this.destroyWhere((s) => s.username === username);
  }
}
