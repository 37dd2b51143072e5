import { budgetReached } from './errors.js';

export const SYNC_CLASSES = ['push', 'content', 'media'] as const;
export type SyncClass = (typeof SYNC_CLASSES)[number];

/** The local calendar day of a time, "2026-11-22" (Mali is on UTC, like the Pi's default). */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export interface MeterSnapshot {
  day: string;
  bytesToday: number;
  byClass: Record<SyncClass | 'probe', number>;
}

/**
 * Every byte the hub sends to or receives from central today, against the daily budget.
 * The transport adds socket bytes as they cross; `assertRoom` stops a request before it starts
 * once the budget is spent. A new day starts from zero.
 */
export class ByteMeter {
  private snapshot: MeterSnapshot;
  current: SyncClass | 'probe' = 'probe';

  constructor(
    private readonly budgetBytes: number,
    private readonly now: () => number,
    saved?: MeterSnapshot
  ) {
    this.snapshot = saved && saved.day === dayOf(now()) ? structuredClone(saved) : ByteMeter.empty(dayOf(now()));
  }

  static empty(day: string): MeterSnapshot {
    return { day, bytesToday: 0, byClass: { push: 0, content: 0, media: 0, probe: 0 } };
  }

  private roll(): void {
    const today = dayOf(this.now());
    if (today !== this.snapshot.day) this.snapshot = ByteMeter.empty(today);
  }

  add(bytes: number): void {
    if (bytes <= 0) return;
    this.roll();
    this.snapshot.bytesToday += bytes;
    this.snapshot.byClass[this.current] += bytes;
  }

  get budget(): number {
    return this.budgetBytes;
  }

  remaining(): number {
    this.roll();
    return Math.max(0, this.budgetBytes - this.snapshot.bytesToday);
  }

  assertRoom(): void {
    if (this.remaining() <= 0) throw budgetReached(this.budgetBytes);
  }

  read(): MeterSnapshot {
    this.roll();
    return structuredClone(this.snapshot);
  }
}
