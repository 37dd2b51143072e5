import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The technician PIN. Compared in constant time (both sides hashed to the same length);
 * after `maxFailures` wrong PINs the gate stays shut for a while, longer each time.
 */
export interface PinOptions {
  maxFailures: number;
  lockoutMs: number;
  maxLockoutMs: number;
}

export const DEFAULT_PIN: PinOptions = { maxFailures: 5, lockoutMs: 5 * 60_000, maxLockoutMs: 60 * 60_000 };

export type PinResult = { ok: true } | { ok: false; reason: 'wrong'; attemptsLeft: number } | { ok: false; reason: 'locked'; retryInMs: number };

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export class PinGate {
  private readonly expected: Buffer;
  private failures = 0;
  private lockouts = 0;
  private lockedUntil = 0;

  constructor(
    pin: string,
    private readonly options: PinOptions = DEFAULT_PIN
  ) {
    this.expected = digest(pin);
  }

  /** `now` is monotonic milliseconds. */
  check(attempt: string, now: number): PinResult {
    if (now < this.lockedUntil) return { ok: false, reason: 'locked', retryInMs: this.lockedUntil - now };
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- the attempt comes from the page, typed by trust only
    if (timingSafeEqual(digest(String(attempt)), this.expected)) {
      this.failures = 0;
      this.lockouts = 0;
      return { ok: true };
    }
    this.failures += 1;
    if (this.failures >= this.options.maxFailures) {
      this.failures = 0;
      const ms = Math.min(this.options.lockoutMs * 2 ** this.lockouts, this.options.maxLockoutMs);
      this.lockouts += 1;
      this.lockedUntil = now + ms;
      return { ok: false, reason: 'locked', retryInMs: ms };
    }
    return { ok: false, reason: 'wrong', attemptsLeft: this.options.maxFailures - this.failures };
  }
}
