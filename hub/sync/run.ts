import { setTimeout as sleep } from 'node:timers/promises';
import { fetchMedia } from './class-media.js';
import { pullContent } from './class-content.js';
import { pushSubmissions } from './class-push.js';
import { Central, configured, type ClassWork, type SyncContext } from './context.js';
import { budgetReached, centralError, credentialsRefused, notConfigured, outsideWindow } from './errors.js';
import { classify, type Failure } from './failures.js';
import { SYNC_CLASSES, type SyncClass } from './meter.js';
import { saveState } from './state.js';
import { createTransport, type Transport } from './transport.js';
import { inWindows } from './windows.js';

/** A Pi without a clock battery wakes in 1970; anything before this is obviously wrong. */
export const SANE_CLOCK = Date.parse('2025-01-01T00:00:00Z');
/** Below this much budget left, a run would spend it on the probe alone: wait for tomorrow. */
const MIN_RUN_BYTES = 8 * 1024;

const WORK: Record<SyncClass, ClassWork> = { push: pushSubmissions, content: pullContent, media: fetchMedia };

export interface RunResult {
  ok: boolean;
  trigger: string;
  /** Per class: done or not, docs/files moved, time and bytes on the wire it took. */
  classes: Partial<Record<SyncClass, { ok: boolean; moved: number; error?: string; ms?: number; bytes?: number }>>;
  bytes: number;
}

/**
 * One sync run: checks what must hold before any byte is spent (configured, in a window, budget
 * left), asks central who we are and what time it is, then each class in order, each retried
 * from its checkpoint after a transient failure. The state is saved after every class.
 */
export class SyncRun {
  private readonly central: Central;
  private readonly result: RunResult;
  private readonly startBytes: number;

  constructor(
    private readonly ctx: SyncContext,
    trigger: string
  ) {
    this.central = new Central(ctx.config);
    this.result = { ok: false, trigger, classes: {}, bytes: 0 };
    this.startBytes = ctx.meter.read().bytesToday;
  }

  private userAgent(): string {
    return `espace-hub/${this.ctx.version} (${this.ctx.config.hubId})`;
  }

  async run(): Promise<RunResult> {
    const { ctx } = this;
    ctx.state.lastRun = { trigger: this.result.trigger, startedAt: ctx.iso(), endedAt: null, ok: false };
    if (!configured(ctx.config)) return this.stopBefore(notConfigured());
    // A Pi that booted without network thinks it is 1970: ask central the time (one small request) before judging the window.
    if (ctx.baseNow() < SANE_CLOCK) {
      const clockOnly = createTransport(ctx.meter, { timeoutMs: 30_000, userAgent: this.userAgent() });
      await this.probe(clockOnly).catch((err: unknown) => ctx.log.warn({ err: String(err) }, 'could not learn the time from central'));
      clockOnly.close();
    }
    if (!inWindows(ctx.config.sync.windows, ctx.now())) return this.stopBefore(outsideWindow(ctx.config.sync.windows));
    if (ctx.meter.remaining() < MIN_RUN_BYTES) return this.stopBefore(budgetReached(ctx.meter.budget));
    const transport = createTransport(ctx.meter, { timeoutMs: 60_000, userAgent: this.userAgent() });
    try {
      await this.probe(transport);
      for (let i = 0; i < SYNC_CLASSES.length; i += 1) {
        const f = await this.runClass(SYNC_CLASSES[i]!, transport);
        // These stop every class alike: the others are told why rather than tried.
        if (f && (f.kind === 'budget-reached' || f.kind === 'credentials-refused' || f.kind === 'central-unreachable')) {
          this.markAll(f, SYNC_CLASSES.slice(i + 1));
          break;
        }
      }
    } catch (err) {
      const f = this.classify(err);
      this.markAll(f);
      ctx.log.warn({ kind: f.kind }, f.message);
    } finally {
      transport.close();
    }
    this.result.ok = SYNC_CLASSES.every((c) => this.result.classes[c]?.ok);
    return this.finish();
  }

  /** Runs one class; answers its failure, or null when it succeeded. */
  private async runClass(cls: SyncClass, transport: Transport): Promise<Failure | null> {
    const { ctx, result } = this;
    const cs = ctx.state.classes[cls];
    cs.lastAttempt = ctx.iso();
    ctx.meter.current = cls;
    const t0 = Date.now();
    const b0 = ctx.meter.read().byClass[cls];
    try {
      cs.moved = await this.withRetries(cls, () => WORK[cls](ctx, this.central, transport));
      cs.lastSuccess = ctx.iso();
      cs.lastError = null;
      result.classes[cls] = { ok: true, moved: cs.moved };
      return null;
    } catch (err) {
      const f = this.classify(err);
      cs.lastError = { kind: f.kind, message: f.message, at: ctx.iso() };
      result.classes[cls] = { ok: false, moved: cs.moved, error: f.message };
      ctx.log.warn({ cls, kind: f.kind }, f.message);
      return f;
    } finally {
      const bytes = ctx.meter.read().byClass[cls] - b0;
      const ms = Date.now() - t0;
      Object.assign(result.classes[cls] ?? {}, { ms, bytes });
      ctx.log.info({ cls, ms, bytes, moved: cs.moved }, 'sync class ended');
      this.learnThroughput(bytes, ms);
      await this.save();
    }
  }

  /** One small request: is central there, do the credentials work, and what time is it. */
  private async probe(transport: Transport): Promise<void> {
    const { ctx } = this;
    ctx.meter.current = 'probe';
    const res = await this.withRetries('push', async () => {
      const r = await transport.fetch(`${this.central.base()}/_session`, {
        headers: { Authorization: this.central.authorization(), Accept: 'application/json' },
      });
      if (r.status >= 500) throw centralError(r.status);
      return r;
    });
    const body = (await res.json().catch(() => ({}))) as { userCtx?: { name?: string | null } };
    if (res.status === 401 || res.status === 403 || (res.ok && body.userCtx && body.userCtx.name !== ctx.config.central.username)) {
      throw credentialsRefused(res.status);
    }
    const serverDate = transport.lastServerDate();
    if (serverDate && ctx.baseNow() < SANE_CLOCK) {
      ctx.state.clockOffsetMs = serverDate - ctx.baseNow();
      ctx.log.warn({ offsetMs: ctx.state.clockOffsetMs }, "the hub's clock is wrong; using central's time for sync");
    }
  }

  /** Tries `fn` again after a transient failure, waiting longer each time, up to attemptsPerRun. */
  private async withRetries<T>(cls: SyncClass, fn: () => Promise<T>): Promise<T> {
    const { settings, meter, log } = this.ctx;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn();
      } catch (err) {
        const f = this.classify(err);
        if (!f.transient || attempt >= settings.attemptsPerRun) throw f.kind === 'budget-reached' ? budgetReached(meter.budget) : err;
        const wait = Math.min(60_000, settings.retryBaseSeconds * 1000 * 2 ** (attempt - 1)) * (0.5 + Math.random() * 0.5);
        log.info({ cls, attempt, waitMs: Math.round(wait), kind: f.kind }, 'sync interrupted; resuming from the checkpoint');
        await sleep(wait);
      }
    }
  }

  /** As `classify`, knowing that PouchDB wraps the budget stop of our fetch into its own errors. */
  private classify(err: unknown): Failure {
    const f = classify(err);
    if (f.kind !== 'budget-reached' && this.ctx.meter.remaining() <= 0) return classify(budgetReached(this.ctx.meter.budget));
    return f;
  }

  private markAll(failure: Failure, classes: readonly SyncClass[] = SYNC_CLASSES): void {
    for (const c of classes) this.ctx.state.classes[c].lastError = { kind: failure.kind, message: failure.message, at: this.ctx.iso() };
  }

  /** Ends the run before any class: every class is told why. */
  private stopBefore(reason: unknown): Promise<RunResult> {
    this.markAll(classify(reason));
    return this.finish();
  }

  private learnThroughput(bytes: number, ms: number): void {
    if (bytes < 16_384 || ms < 200) return;
    const sample = (bytes / ms) * 1000;
    const prev = this.ctx.state.throughputBytesPerSecond;
    this.ctx.state.throughputBytesPerSecond = Math.round(prev ? prev * 0.7 + sample * 0.3 : sample);
  }

  private async finish(): Promise<RunResult> {
    const { ctx, result } = this;
    result.bytes = ctx.meter.read().bytesToday - this.startBytes;
    if (ctx.state.lastRun) {
      ctx.state.lastRun.endedAt = ctx.iso();
      ctx.state.lastRun.ok = result.ok;
    }
    await this.save();
    ctx.log.info({ trigger: result.trigger, ok: result.ok, bytes: result.bytes }, 'sync run ended');
    return result;
  }

  private async save(): Promise<void> {
    this.ctx.state.meter = this.ctx.meter.read();
    await saveState(this.ctx.dbs.submissions, this.ctx.state).catch((err: unknown) => this.ctx.log.warn({ err }, 'could not save the sync state'));
  }
}
