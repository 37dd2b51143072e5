/**
 * When to reset the kiosk between visitors: after `idleMs` without a touch or a key, and only
 * if someone used it since the last reset (an untouched attract loop is not reset again and
 * again). Times are monotonic milliseconds (performance.now()), so a wall-clock change does
 * not trigger or postpone a reset; a clock that still goes backwards counts as activity.
 */
export class IdleTracker {
  private last: number;
  private used = false;

  constructor(
    private readonly idleMs: number,
    now: number
  ) {
    this.last = now;
  }

  activity(now: number): void {
    this.last = now;
    this.used = true;
  }

  /** True when the screen has been left alone for the idle time after someone used it. */
  isDue(now: number): boolean {
    if (now < this.last) {
      this.last = now;
      return false;
    }
    return this.used && now - this.last >= this.idleMs;
  }

  /** Called once the reset is done: nothing of the last visitor is left to clear. */
  resetDone(now: number): void {
    this.last = now;
    this.used = false;
  }

  /** Milliseconds left before a reset (for the technician screen); null when there is nothing to reset. */
  remaining(now: number): number | null {
    return this.used ? Math.max(0, this.idleMs - (now - this.last)) : null;
  }
}
