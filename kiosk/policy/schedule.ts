import type { OpeningHours } from '../../content/index.js';

/**
 * The screen's schedule from the space's opening hours: on inside a window, off outside.
 * A window whose end is before its start crosses midnight (22:00–06:00 opens Monday night
 * and closes Tuesday morning); equal ends mean 24 hours. Everything is computed from the
 * wall clock at each tick, so a clock set forward or back (NTP after a power cut, a
 * technician fixing the date) gives the right answer at the next tick.
 */
export type { OpeningHours };
export type ScreenState = 'on' | 'off';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_MINUTES = 24 * 60;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** True when `date` (local time) falls in one of the opening windows. */
export function isOpenAt(hours: OpeningHours, date: Date): boolean {
  const today = date.getDay();
  const now = date.getHours() * 60 + date.getMinutes();
  // A window opened yesterday may still run today, so look at both days.
  for (const [dayOffset, day] of [
    [0, today],
    [1, (today + 6) % 7],
  ] as const) {
    for (const w of hours[DAYS[day]!] ?? []) {
      const from = minutes(w.from);
      let to = minutes(w.to);
      if (to <= from) to += DAY_MINUTES;
      const t = now + dayOffset * DAY_MINUTES;
      if (t >= from && t < to) return true;
    }
  }
  return false;
}

/** The next time (to the minute) the state changes, within a week; null when it never does. */
export function nextChange(hours: OpeningHours, date: Date): Date | null {
  const start = new Date(date);
  start.setSeconds(0, 0);
  const open = isOpenAt(hours, start);
  for (let i = 1; i <= 7 * DAY_MINUTES; i += 1) {
    const t = new Date(start.getTime() + i * 60_000);
    if (isOpenAt(hours, t) !== open) return t;
  }
  return null;
}

/**
 * Decides at each tick what the screen should be and whether to (re)apply it: on a change,
 * and every `reassertMs` anyway, so a screen woken by hand, a compositor restart or a drift
 * does not stay wrong. A touch on a blank screen wakes it for a while (`wake`).
 */
export class DisplayPlanner {
  private applied: ScreenState | undefined;
  private appliedAt = 0;
  private wokenUntil = -Infinity;

  constructor(
    private readonly hours: OpeningHours,
    private readonly reassertMs: number
  ) {}

  /** Keeps the screen on until monotonic time `until` even outside opening hours. */
  wake(until: number): void {
    this.wokenUntil = until;
  }

  want(date: Date, mono: number): ScreenState {
    return isOpenAt(this.hours, date) || mono < this.wokenUntil ? 'on' : 'off';
  }

  /** `date` is the wall clock, `mono` monotonic milliseconds. */
  tick(date: Date, mono: number): { state: ScreenState; apply: boolean; changed: boolean } {
    const state = this.want(date, mono);
    const changed = state !== this.applied;
    const apply = changed || mono - this.appliedAt >= this.reassertMs || mono < this.appliedAt;
    if (apply) {
      this.applied = state;
      this.appliedAt = mono;
    }
    return { state, apply, changed };
  }
}
