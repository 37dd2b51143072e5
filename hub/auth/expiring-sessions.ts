import { randomBytes } from 'node:crypto';

/** What every server-side session has: the id its cookie carries and its clock. */
export interface Expiring {
  /** 256 random bits, base64url: the cookie's value. */
  readonly id: string;
  readonly createdAt: number;
  lastSeen: number;
}

export interface ExpiringOptions {
  idleMs: number;
  absoluteMs: number;
  now?: () => number;
}

/**
 * Sessions in memory, the cookie only naming one: a session ends after `idleMs` without a
 * request or `absoluteMs` after it was opened, whichever comes first; a hub restart ends them
 * all (people sign in again — nothing is lost). The console's sessions and the members' are
 * both this store, with fields of their own.
 */
export class ExpiringSessions<S extends Expiring> {
  private readonly sessions = new Map<string, S>();
  protected readonly now: () => number;

  constructor(private readonly opts: ExpiringOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Opens a session with a fresh id, stamped now; `fields` are the rest of it. */
  protected open(fields: Omit<S, keyof Expiring>): S {
    this.prune();
    const t = this.now();
    // The generic spread is exactly an S; TypeScript cannot prove Omit<S, K> & Pick<S, K> is S.
    const session = { ...fields, id: randomBytes(32).toString('base64url'), createdAt: t, lastSeen: t } as unknown as S;
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (and marks it seen), or null when unknown or expired. */
  get(id: string | undefined): S | null {
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

  /** Ends every session `which` picks (an account removed, a member suspended). */
  protected destroyWhere(which: (s: S) => boolean): void {
    for (const [id, s] of this.sessions) if (which(s)) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(s: S, t: number): boolean {
    return t - s.lastSeen > this.opts.idleMs || t - s.createdAt > this.opts.absoluteMs;
  }

  private prune(): void {
    const t = this.now();
    this.destroyWhere((s) => this.expired(s, t));
  }
}
