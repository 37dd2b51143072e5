import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import type { Databases, MediaStore } from '../storage/index.js';
import { audienceSelector } from './class-content.js';
import { UnconfirmedSubmissions, unconfirmedSubmissionIds } from './confirm.js';
import { configured, syncSettings, type SyncContext } from './context.js';
import { ByteMeter, type MeterSnapshot } from './meter.js';
import { SANE_CLOCK, SyncRun, type RunResult } from './run.js';
import { SyncScheduler } from './scheduler.js';
import { emptyState, loadState, SyncStateCorrupt, type SyncState } from './state.js';
import { inWindows } from './windows.js';

export type { RunResult } from './run.js';

export interface SyncEngineOptions {
  config: Config;
  dbs: Databases;
  media: MediaStore;
  log: Logger;
  version: string;
  /** The clock (tests move it to "tomorrow"); defaults to Date.now. */
  now?: () => number;
}

export interface SyncStatus {
  enabled: boolean;
  configured: boolean;
  central: string | null;
  running: boolean;
  nextRunAt: string | null;
  inWindow: boolean;
  windows: Config['sync']['windows'];
  budget: { bytesPerDay: number; bytesToday: number; day: string; byClass: MeterSnapshot['byClass'] };
  throughputBytesPerSecond: number | null;
  clockOffsetMs: number;
  lastRun: SyncState['lastRun'];
  classes: SyncState['classes'];
  /** Why sync is stopped when its stored state is damaged (see state.ts); null otherwise. */
  stateError: string | null;
}

/**
 * The hub's sync with central: one run at a time (run.ts: classes in order — push submissions +
 * fleet, pull content for this hub's audience, fetch media by priority — inside the time windows
 * and the daily budget, resuming from checkpoints and partial files after a cut), started by
 * hand or by the scheduler (scheduler.ts).
 */
export class SyncEngine {
  private running: Promise<RunResult> | null = null;
  private readonly scheduler: SyncScheduler;
  /** The unconfirmed submissions, memoised (the portal's status lookups ask it every 20 s per phone). */
  readonly unconfirmedSet: UnconfirmedSubmissions;

  private constructor(
    private readonly o: SyncEngineOptions,
    private readonly ctx: SyncContext,
    /** Set when the stored state could not be read: no run, and the damaged doc is never overwritten. */
    private readonly stateError: SyncStateCorrupt | null
  ) {
    this.unconfirmedSet = new UnconfirmedSubmissions(o.dbs.submissions);
    this.scheduler = new SyncScheduler({
      settings: ctx.settings,
      centralUrl: o.config.central.url,
      log: o.log,
      runNow: (trigger) => this.runNow(trigger),
      running: () => this.running !== null,
      lastKinds: () => Object.values(ctx.state.classes).map((c) => c.lastError?.kind),
    });
  }

  static async create(o: SyncEngineOptions): Promise<SyncEngine> {
    let state = emptyState();
    let stateError: SyncStateCorrupt | null = null;
    try {
      state = await loadState(o.dbs.submissions);
    } catch (e) {
      if (!(e instanceof SyncStateCorrupt)) throw e;
      stateError = e;
      o.log.error({ reason: e.reason }, e.details);
    }
    const baseNow = o.now ?? Date.now;
    const now = () => {
      const base = baseNow();
      return base < SANE_CLOCK ? base + state.clockOffsetMs : base;
    };
    const meter = new ByteMeter(o.config.sync.dailyBudgetMB * 1e6, now, state.meter ?? undefined);
    const ctx: SyncContext = {
      config: o.config,
      settings: syncSettings(o.config),
      dbs: o.dbs,
      media: o.media,
      log: o.log,
      version: o.version,
      state,
      meter,
      baseNow,
      now,
      iso: () => new Date(now()).toISOString(),
    };
    return new SyncEngine(o, ctx, stateError);
  }

  /** The time sync decisions use: the Pi's clock, corrected from central's Date header when it was obviously wrong. */
  now(): number {
    return this.ctx.now();
  }

  configured(): boolean {
    return configured(this.o.config);
  }

  status(): SyncStatus {
    const { meter, state } = this.ctx;
    const m = meter.read();
    const next = this.scheduler.nextRunAt;
    return {
      enabled: this.o.config.sync.enabled,
      configured: this.configured(),
      central: this.o.config.central.url ?? null,
      running: this.running !== null,
      nextRunAt: next ? new Date(next).toISOString() : null,
      inWindow: inWindows(this.o.config.sync.windows, this.now()),
      windows: this.o.config.sync.windows,
      budget: { bytesPerDay: meter.budget, bytesToday: m.bytesToday, day: m.day, byClass: m.byClass },
      throughputBytesPerSecond: state.throughputBytesPerSecond,
      clockOffsetMs: state.clockOffsetMs,
      lastRun: state.lastRun,
      classes: structuredClone(state.classes),
      stateError: this.stateError?.details ?? null,
    };
  }

  /** Submission ids not yet confirmed by central (for the portal and USB export). */
  async unconfirmed(): Promise<string[]> {
    return unconfirmedSubmissionIds(this.o.dbs.submissions);
  }

  /** The Mango selector of the content pull: what is addressed to this hub, and deletions. */
  audienceSelector(): PouchDB.Find.Selector {
    return audienceSelector(this.o.config);
  }

  /** Runs a sync now, or joins the one already running. */
  runNow(trigger = 'manual'): Promise<RunResult> {
    this.running ??= this.run(trigger).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(trigger: string): Promise<RunResult> {
    // A damaged state is never overwritten: no run until it is repaired.
    if (this.stateError) throw this.stateError;
    return new SyncRun(this.ctx, trigger).run();
  }

  /** Starts the schedule: a first run soon, then every intervalMinutes (sooner after a transient failure). */
  start(firstDelayMs = 10_000): void {
    this.scheduler.start(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.running?.catch(() => undefined);
  }
}
