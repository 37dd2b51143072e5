import { asSubmission, parseWith, Usage } from '../../content/index.js';
import type { Logger } from '../log/index.js';
import { maybeDoc, putDoc, type Database } from '../storage/index.js';

const FLUSH_EVERY_MS = 60_000;

/**
 * Anonymous daily usage: how many visits and page views per section, nothing about who. Counts
 * are kept in memory and added to the day's `<hubId>:usage:<date>` doc every minute and on close,
 * so a power cut loses at most a minute of counts.
 */
export class UsageCounter {
  private visits = 0;
  private views = new Map<string, number>();
  private day = today();
  /** The current day's bounds (ms): counting a view compares numbers, not formatted dates. */
  private dayBounds = bounds();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly hubId: string,
    private readonly log: Logger
  ) {}

  visit(): void {
    this.rollDay();
    this.visits += 1;
  }

  pageView(section: string): void {
    this.rollDay();
    this.views.set(section, (this.views.get(section) ?? 0) + 1);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Adds what was counted since the last flush to the stored day; one write at a time. */
  flush(): Promise<void> {
    return this.enqueue(this.day);
  }

  private rollDay(): void {
    // Both bounds: a Pi's clock also jumps back (a fake-hwclock date corrected by NTP).
    const t = Date.now();
    if (t >= this.dayBounds.start && t < this.dayBounds.end) return;
    const now = today();
    this.dayBounds = bounds();
    if (now === this.day) return;
    void this.enqueue(this.day);
    this.day = now;
  }

  private enqueue(date: string): Promise<void> {
    const visits = this.visits;
    const views = this.views;
    this.visits = 0;
    this.views = new Map();
    if (visits === 0 && views.size === 0) return this.flushing;
    this.flushing = this.flushing
      .then(() => this.write(date, visits, views))
      .catch((err: unknown) => {
        // Put the counts back so the next flush retries them (into today's doc if the day turned).
        this.visits += visits;
        for (const [section, n] of views) this.views.set(section, (this.views.get(section) ?? 0) + n);
        this.log.warn({ err }, 'usage counts not saved; retried at the next flush');
      });
    return this.flushing;
  }

  private async write(date: string, visits: number, views: Map<string, number>): Promise<void> {
    const id = `${this.hubId}:usage:${date}`;
    const stored = await maybeDoc(this.db, id, asSubmission('usage'));
    const doc: Usage = stored
      ? { ...stored, pageViews: stored.pageViews ?? {} }
      : { _id: id, type: 'usage', hubId: this.hubId, date, createdAt: new Date().toISOString(), visits: 0, pageViews: {} };
    doc.visits += visits;
    for (const [section, n] of views) doc.pageViews[section] = (doc.pageViews[section] ?? 0) + n;
    parseWith(Usage, doc, 'invalid-usage', 500);
    await putDoc(this.db, doc);
  }
}

function bounds(): { start: number; end: number } {
  const d = new Date();
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) };
}

function today(): string {
  // Bamako is UTC: the day is the UTC date.
  return new Date().toISOString().slice(0, 10);
}
