import { connect } from 'node:net';
import type { Logger } from '../log/index.js';
import type { SyncSettings } from './context.js';
import type { FailureKind } from './failures.js';
import type { RunResult } from './run.js';

const CREDENTIALS_RETRY_MS = 6 * 3600_000;

export interface SchedulerOptions {
  settings: SyncSettings;
  centralUrl: string | undefined;
  log: Logger;
  /** Starts a run, or joins the one running. */
  runNow(trigger: string): Promise<RunResult>;
  running(): boolean;
  /** The kinds of the classes' last errors, as the last run left them. */
  lastKinds(): (FailureKind | undefined)[];
}

/**
 * When the sync runs: a first run soon, then every intervalMinutes; sooner, with exponential
 * back-off and jitter, after a transient failure; rarely after refused credentials; and at
 * once when a TCP probe notices the uplink is back. Runs themselves are the engine's.
 */
export class SyncScheduler {
  private timer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  /** When the next scheduled run starts (ms), or null. */
  nextRunAt: number | null = null;

  constructor(private readonly o: SchedulerOptions) {}

  start(firstDelayMs: number): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.timer = this.probeTimer = null;
    this.nextRunAt = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.launch('schedule');
    }, ms);
    this.timer.unref();
  }

  private launch(trigger: string): void {
    void this.o.runNow(trigger).then(
      (r) => this.afterRun(r),
      () => this.afterRun(null)
    );
  }

  /** Next run: the interval after success; exponential backoff with jitter after a transient failure. */
  private afterRun(r: RunResult | null): void {
    if (this.stopped) return;
    const interval = this.o.settings.intervalMinutes * 60_000;
    const kinds = this.o.lastKinds();
    const transient = !r || kinds.includes('central-unreachable') || kinds.includes('central-error');
    if (kinds.includes('credentials-refused')) {
      // Refused credentials will not heal by retrying: try again rarely, not in a storm.
      this.schedule(Math.max(interval, CREDENTIALS_RETRY_MS));
      return;
    }
    if (r?.ok || !transient) {
      this.failures = 0;
      this.schedule(interval * (0.9 + Math.random() * 0.2));
      return;
    }
    this.failures += 1;
    const backoff = Math.min(interval, this.o.settings.retryBaseSeconds * 1000 * 2 ** this.failures);
    this.schedule(backoff * (0.5 + Math.random() * 0.5));
    if (kinds.includes('central-unreachable')) this.watchUplink();
  }

  /** While central is unreachable, a TCP connect every probeSeconds (no HTTP, no data) notices the uplink coming back. */
  private watchUplink(): void {
    if (this.probeTimer || this.stopped || !this.o.centralUrl) return;
    const url = new URL(this.o.centralUrl);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const every = this.o.settings.probeSeconds * 1000;
    const tick = () => {
      this.probeTimer = null;
      if (this.stopped || this.o.running()) return;
      const sock = connect({ host: url.hostname, port, timeout: 10_000 });
      const done = (up: boolean) => {
        sock.destroy();
        if (this.stopped) return;
        if (up) {
          this.o.log.info('uplink back: syncing now');
          this.launch('uplink-back');
        } else {
          this.probeTimer = setTimeout(tick, every);
          this.probeTimer.unref();
        }
      };
      sock.once('connect', () => done(true));
      sock.once('error', () => done(false));
      sock.once('timeout', () => done(false));
    };
    this.probeTimer = setTimeout(tick, every);
    this.probeTimer.unref();
  }
}
