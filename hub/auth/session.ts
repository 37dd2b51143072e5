import { randomBytes } from 'node:crypto';
import type { Role } from './users.js';

export const SESSION_COOKIE = 'espace_session';

/**
 * One signed-in person. `R` is the roles of the console that made it: the hub's console
 * (facilitator, technician) or central's (admin, editor, analyst), which reuses this store.
 */
export interface Session<R extends string = Role> {
  /** 256 random bits, base64url: the cookie's value. */
  readonly id: string;
  readonly username: string;
  /** The role shown on the page. */
  readonly role: R;
  /** Every role held (the hub's accounts hold one; a CouchDB user may hold several). */
  readonly roles: readonly R[];
  /** The synchroniser token every form of this session carries. */
  readonly csrf: string;
  readonly createdAt: number;
  lastSeen: number;
  /** One message shown on the next page (after a redirect), then dropped. */
  flash?: string;
}

export interface SessionOptions {
  idleMs: number;
  absoluteMs: number;
  now?: () => number;
}

/**
 * Server-side sessions in memory: the cookie only names one. A session ends after `idleMs`
 * without a request or `absoluteMs` after login, whichever comes first; a hub restart ends
 * them all (people log in again — nothing is lost).
 */
export class SessionStore<R extends string = Role> {
  private readonly sessions = new Map<string, Session<R>>();
  private readonly now: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.now = opts.now ?? Date.now;
  }

  create(user: { username: string; role: R; roles?: readonly R[] }): Session<R> {
    this.prune();
    const t = this.now();
    const session: Session<R> = {
      id: randomBytes(32).toString('base64url'),
      username: user.username,
      role: user.role,
      roles: user.roles ?? [user.role],
      csrf: randomBytes(32).toString('base64url'),
      createdAt: t,
      lastSeen: t,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (and marks it seen), or null when unknown or expired. */
  get(id: string | undefined): Session<R> | null {
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    const t = this.now();
    if (this.expired(s, t)) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeen = t;
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of an account (removed, or its password changed). */
  destroyUser(username: string): void {
    for (const [id, s] of this.sessions) if (s.username === username) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(s: Session<R>, t: number): boolean {
    return t - s.lastSeen > this.opts.idleMs || t - s.createdAt > this.opts.absoluteMs;
  }

  private prune(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) if (this.expired(s, t)) this.sessions.delete(id);
  }
}
