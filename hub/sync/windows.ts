import type { TimeWindow } from '../config/index.js';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `ms` (local time) falls in one of the daily windows; a window may cross midnight. */
export function inWindows(windows: readonly TimeWindow[], ms: number): boolean {
  const d = new Date(ms);
  const now = d.getHours() * 60 + d.getMinutes();
  return windows.some(({ from, to }) => {
    const a = minutes(from);
    const b = minutes(to);
    return a <= b ? now >= a && now <= b : now >= a || now <= b;
  });
}
