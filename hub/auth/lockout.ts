import { AppError } from '../../content/index.js';

export interface LockoutOptions {
  /** Failed logins of one account before it is locked. */
  maxPerAccount: number;
  /** Failed logins from one address before it is locked (guessing many names). */
  maxPerIp: number;
  /** How long a lock lasts; failures older than this are forgotten. */
  lockMs: number;
  now?: () => number;
}

interface Counter {
  failures: number[];
  lockedUntil: number;
}

const MAX_KEYS = 10_000;

/**
 * Locks an account, and an address, after repeated failed logins, for a while. In memory:
 * a restart forgets it, which is fine for a LAN hub (the lock only slows guessing down).
 */
export class Lockout {
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;

  constructor(private readonly opts: LockoutOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Throws 429 with when to retry if the account or the address is locked. */
  check(username: string, ip: string): void {
    const t = this.now();
    const until = Math.max(this.lockedUntil(`user:${username}`, t), this.lockedUntil(`ip:${ip}`, t));
    if (until > t) {
      const minutes = Math.ceil((until - t) / 60_000);
      const at = new Date(until).toISOString().slice(11, 16);
      throw new AppError(
        429,
        'locked-out',
        `too many failed logins: try again in ${minutes} minute${minutes > 1 ? 's' : ''} (after ${at} UTC). A technician can reset a forgotten password with "espace user passwd".`,
      );
    }
  }

  fail(username: string, ip: string): void {
    this.count(`user:${username}`, this.opts.maxPerAccount);
    this.count(`ip:${ip}`, this.opts.maxPerIp);
  }

  /** A successful login clears the account's failures (not the address's). */
  succeed(username: string): void {
    this.counters.delete(`user:${username}`);
  }

  private lockedUntil(key: string, t: number): number {
    const c = this.counters.get(key);
    return c && c.lockedUntil > t ? c.lockedUntil : 0;
  }

  private count(key: string, max: number): void {
    const t = this.now();
    if (this.counters.size >= MAX_KEYS && !this.counters.has(key)) this.prune(t);
    const c = this.counters.get(key) ?? { failures: [], lockedUntil: 0 };
    c.failures = c.failures.filter((f) => t - f < this.opts.lockMs);
    c.failures.push(t);
    if (c.failures.length >= max) {
      c.lockedUntil = t + this.opts.lockMs;
      c.failures = [];
    }
    this.counters.set(key, c);
  }

  private prune(t: number): void {
    for (const [k, c] of this.counters) if (c.lockedUntil <= t && c.failures.every((f) => t - f >= this.opts.lockMs)) this.counters.delete(k);
    // Still full (an attack from many addresses): forget the oldest half rather than grow without bound.
    if (this.counters.size >= MAX_KEYS) for (const k of [...this.counters.keys()].slice(0, MAX_KEYS / 2)) this.counters.delete(k);
  }
}
