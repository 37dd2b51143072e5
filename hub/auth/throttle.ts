import { AppError } from '../../content/index.js';

export interface LoginThrottleOptions {
  /** Failed logins of one account from one address answered without waiting. */
  freeAttempts: number;
  /** The first wait after those, doubled at each further failure (default 1 s). */
  firstDelayMs?: number;
  /** The longest wait between two tries of one account from one address (the delay doubles up to it). */
  maxDelayMs: number;
  /** Failed logins from one address (any names) within `ipWindowMs` before that address must wait. */
  ipFailures: number;
  ipWindowMs: number;
  now?: () => number;
}

/** A failed (or refused) login, as the console shows it. */
export interface FailedLogin {
  at: number;
  username: string;
  ip: string;
  /** Refused without checking the password (it had to wait), rather than a wrong password. */
  throttled: boolean;
}

/** What a begun attempt holds until it ends: the counts it added, to keep or give back. */
export interface LoginTicket {
  readonly username: string;
  readonly ip: string;
}

interface Pair {
  failures: number;
  last: number;
}

const MAX_KEYS = 10_000;
const RECENT = 200;
/** A pair quiet this long starts again from nothing. */
const FORGET_MS = 24 * 3_600_000;

/** The 429 a login gets when it must wait: in French (the console's language), with when to retry. */
export class LoginWaitError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    why: string
  ) {
    super(429, 'login-throttled', `${why} Réessayez dans ${spell(retryAfterSeconds)}. Un technicien peut lever l’attente avec « espace user unlock NOM ».`);
  }
}

/** A wait in French words: "45 secondes", "3 minutes". */
export function spell(seconds: number): string {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}

/**
 * Whether a throttled try under `key` (name and address) is worth an audit line: one a minute,
 * so a flood of refused tries is not one fsync each. One limiter per console.
 */
export function throttledAuditLimiter(): (key: string) => boolean {
  const lastAudited = new Map<string, number>();
  return (key) => {
    const t = Date.now();
    if ((lastAudited.get(key) ?? 0) > t - 60_000) return false;
    if (lastAudited.size > 1000) lastAudited.clear();
    lastAudited.set(key, t);
    return true;
  };
}

/**
 * Slows password guessing without letting a stranger lock anyone out. Each (account,
 * address) pair may fail `freeAttempts` times, then must wait 1 s, 2 s, 4 s… up to
 * `maxDelayMs` between tries; the facilitator at her own address is never slowed by
 * someone else's guesses. Each address may also fail `ipFailures` times in `ipWindowMs`,
 * whatever the names, so one phone cannot walk through many accounts.
 *
 * An attempt is counted when it begins, synchronously, before the password is checked:
 * sixty concurrent guesses see each other's counts, and only `freeAttempts` of them reach
 * the hash. A success gives the count back. In memory: a restart forgets it (the hash
 * queue still bounds guesses per second).
 */
export class LoginThrottle {
  private readonly pairs = new Map<string, Pair>();
  private readonly addresses = new Map<string, number[]>();
  private readonly recentFailures: FailedLogin[] = [];
  private readonly now: () => number;

  constructor(private readonly opts: LoginThrottleOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The wait before the n-th failure's next try may be checked. */
  private delayAfter(failures: number): number {
    if (failures < this.opts.freeAttempts) return 0;
    return Math.min(this.opts.maxDelayMs, (this.opts.firstDelayMs ?? 1000) * 2 ** Math.min(30, failures - this.opts.freeAttempts));
  }

  /**
   * Counts an attempt of `username` from `ip`, or throws a LoginWaitError when it must wait.
   * `unlockedAt`: failures of this account before then are forgotten (`espace user unlock`).
   */
  begin(username: string, ip: string, unlockedAt = 0): LoginTicket {
    const t = this.now();
    const key = `${username}\n${ip}`;
    let pair = this.pairs.get(key);
    if (pair && (pair.last < unlockedAt || t - pair.last > FORGET_MS)) {
      this.pairs.delete(key);
      pair = undefined;
    }
    const wait = pair ? pair.last + this.delayAfter(pair.failures) - t : 0;
    if (wait > 0) {
      this.remember({ at: t, username, ip, throttled: true });
      throw new LoginWaitError(Math.ceil(wait / 1000), 'Trop d’essais manqués pour ce compte depuis cet appareil.');
    }
    const window = (this.addresses.get(ip) ?? []).filter((at) => t - at < this.opts.ipWindowMs);
    if (window.length >= this.opts.ipFailures) {
      this.addresses.set(ip, window);
      this.remember({ at: t, username, ip, throttled: true });
      throw new LoginWaitError(Math.ceil((window[0]! + this.opts.ipWindowMs - t) / 1000), 'Trop d’essais manqués depuis cet appareil.');
    }
    if (!pair && this.pairs.size >= MAX_KEYS) this.prune(t);
    if (!this.addresses.has(ip) && this.addresses.size >= MAX_KEYS) this.pruneAddresses(t);
    this.pairs.set(key, { failures: (pair?.failures ?? 0) + 1, last: t });
    window.push(t);
    this.addresses.set(ip, window);
    return { username, ip };
  }

  /** The password was wrong: the counts stay, and the console hears of it. */
  failed(ticket: LoginTicket): void {
    this.remember({ at: this.now(), username: ticket.username, ip: ticket.ip, throttled: false });
  }

  /** The password was right: this pair starts again from nothing, and the address gets its try back. */
  succeeded(ticket: LoginTicket): void {
    this.pairs.delete(`${ticket.username}\n${ticket.ip}`);
    this.giveBack(ticket.ip);
  }

  /** The password was never checked (the hub was too busy): the attempt is not held against anyone. */
  cancelled(ticket: LoginTicket): void {
    const key = `${ticket.username}\n${ticket.ip}`;
    const pair = this.pairs.get(key);
    if (pair) {
      if (pair.failures <= 1) this.pairs.delete(key);
      else pair.failures -= 1;
    }
    this.giveBack(ticket.ip);
  }

  /** Forgets the failures of an account from every address (a technician vouched for it). */
  unlock(username: string): void {
    for (const key of this.pairs.keys()) if (key.startsWith(`${username}\n`)) this.pairs.delete(key);
  }

  /** The latest failed or refused logins, newest first. */
  recent(limit = 50): FailedLogin[] {
    return this.recentFailures.slice(-limit).reverse();
  }

  /** Pairs that must wait now, with until when (for the console). */
  waiting(): { username: string; ip: string; until: number; failures: number }[] {
    const t = this.now();
    const out: { username: string; ip: string; until: number; failures: number }[] = [];
    for (const [key, p] of this.pairs) {
      const until = p.last + this.delayAfter(p.failures);
      if (until > t) {
        const [username, ip] = key.split('\n') as [string, string];
        out.push({ username, ip, until, failures: p.failures });
      }
    }
    return out.sort((a, b) => b.until - a.until);
  }

  private giveBack(ip: string): void {
    const window = this.addresses.get(ip);
    if (!window) return;
    window.pop();
    if (window.length === 0) this.addresses.delete(ip);
  }

  private remember(f: FailedLogin): void {
    this.recentFailures.push(f);
    if (this.recentFailures.length > RECENT) this.recentFailures.splice(0, this.recentFailures.length - RECENT);
  }

  private prune(t: number): void {
    for (const [k, p] of this.pairs) if (t - p.last > this.delayAfter(p.failures)) this.pairs.delete(k);
    // Still full (many addresses at once): forget the oldest half rather than grow without bound.
    if (this.pairs.size >= MAX_KEYS) for (const k of [...this.pairs.keys()].slice(0, MAX_KEYS / 2)) this.pairs.delete(k);
  }

  private pruneAddresses(t: number): void {
    for (const [ip, w] of this.addresses) if (w.every((at) => t - at >= this.opts.ipWindowMs)) this.addresses.delete(ip);
    if (this.addresses.size >= MAX_KEYS) for (const k of [...this.addresses.keys()].slice(0, MAX_KEYS / 2)) this.addresses.delete(k);
  }
}
