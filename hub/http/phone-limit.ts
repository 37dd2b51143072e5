import type { RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError } from '../../content/index.js';
import type { Config } from '../config/index.js';

const WINDOW_MS = 60_000;

interface Client {
  hits: number;
  /** When its window ends (ms since the epoch). */
  resetAt: number;
}

/** What one write counted: the headers every answer carries, and whether it is refused. */
export interface PhoneLimitHit {
  /** RateLimit-Policy and RateLimit (IETF draft 7), and Retry-After once limited: a flat list. */
  readonly headers: string[];
  readonly limited: boolean;
}

/**
 * The one limit on what a phone may write: `limits.submissionsPerMinute` per address,
 * counted together for the portal's forms and the API (an attacker used to get both, 30 + 30
 * a minute), whichever path answers (Express or the raw fast path). Made once per handler.
 *
 * The same counting and headers as express-rate-limit's memory store with draft-7 headers,
 * which it replaces: a window of a minute per address from its first write, the address as
 * express-rate-limit keys it (IPv4-mapped addresses as IPv4, IPv6 by /56), and no promise or
 * Express request per write.
 */
export class PhoneLimit {
  /** Clients seen in this window of the map, and in the one before (dropped whole after that). */
  private current = new Map<string, Client>();
  private previous = new Map<string, Client>();
  private swappedAt = -Infinity;
  private readonly policy: string;

  constructor(
    readonly limit: number,
    private readonly windowMs = WINDOW_MS
  ) {
    this.policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
  }

  /** Counts one write from `address` (the socket's remote address: the hub trusts no proxy header) at `now`. */
  hit(address: string | undefined, now = Date.now()): PhoneLimitHit {
    if (now - this.swappedAt >= this.windowMs) {
      this.previous = this.current;
      this.current = new Map();
      this.swappedAt = now;
    }
    const key = address === undefined ? '' : ipKeyGenerator(address);
    let client = this.current.get(key);
    if (!client) {
      client = this.previous.get(key) ?? { hits: 0, resetAt: now + this.windowMs };
      this.previous.delete(key);
      this.current.set(key, client);
    }
    if (client.resetAt <= now) {
      client.hits = 0;
      client.resetAt = now + this.windowMs;
    }
    client.hits += 1;
    const reset = String(Math.max(0, Math.ceil((client.resetAt - now) / 1000)));
    const headers = ['RateLimit-Policy', this.policy, 'RateLimit', `limit=${this.limit}, remaining=${Math.max(this.limit - client.hits, 0)}, reset=${reset}`];
    const limited = client.hits > this.limit;
    if (limited) headers.push('Retry-After', reset);
    return { headers, limited };
  }

  /** The refusal of a write over the limit (the one JSON envelope). */
  refusal(): AppError {
    return new AppError(
      429,
      'too-many-submissions',
      `too many submissions from this device (${this.limit} a minute at most, forms and API together); wait a minute and try again`
    );
  }
}

/** Express's side of the limit: the headers set, and the refusal handed to the error handler. */
export function phoneWriteLimit(limit: PhoneLimit | Pick<Config, 'limits'>): RequestHandler {
  const counter = limit instanceof PhoneLimit ? limit : new PhoneLimit(limit.limits.submissionsPerMinute);
  return function phoneWriteLimit(req, res, next) {
    const hit = counter.hit(req.socket.remoteAddress);
    for (let i = 0; i < hit.headers.length; i += 2) res.setHeader(hit.headers[i]!, hit.headers[i + 1]!);
    next(hit.limited ? counter.refusal() : undefined);
  };
}
