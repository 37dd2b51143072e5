import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hubCentralDb } from '../../content/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { pouchConstructor, type Database, type Databases, type MediaStore } from '../storage/index.js';
import { classify, type Failure } from './failures.js';
import { freshenHeartbeat } from './heartbeat.js';
import { MediaFetcher, referencedMedia } from './media-fetch.js';
import { budgetReached, ByteMeter, SYNC_CLASSES, type MeterSnapshot, type SyncClass } from './meter.js';
import { emptyState, loadState, saveState, SyncStateCorrupt, type SyncState } from './state.js';
import { withBulkGet } from './bulk-get.js';
import { createTransport, type Transport } from './transport.js';
import { inWindows } from './windows.js';
import { UnconfirmedSubmissions, unconfirmedSubmissionIds } from './confirm.js';
import { dropNarrowed } from './narrowed.js';

/** A Pi without a clock battery wakes in 1970; anything before this is obviously wrong. */
const SANE_CLOCK = Date.parse('2025-01-01T00:00:00Z');
const CREDENTIALS_RETRY_MS = 6 * 3600_000;
/** Below this much budget left, a run would spend it on the probe alone: wait for tomorrow. */
const MIN_RUN_BYTES = 8 * 1024;
/** Batches PouchDB reads ahead while one is written: on a 600 ms round trip, overlap matters more than memory. */
const BATCHES_AHEAD = 4;

export interface SyncEngineOptions {
  config: Config;
  dbs: Databases;
  media: MediaStore;
  log: Logger;
  version: string;
  /** The clock (tests move it to "tomorrow"); defaults to Date.now. */
  now?: () => number;
}

export interface RunResult {
  ok: boolean;
  trigger: string;
  /** Per class: done or not, docs/files moved, time and bytes on the wire it took. */
  classes: Partial<Record<SyncClass, { ok: boolean; moved: number; error?: string; ms?: number; bytes?: number }>>;
  bytes: number;
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
 * The hub's sync with central: one run at a time, classes in order (push submissions + fleet,
 * pull content for this hub's audience, fetch media by priority), inside the time windows and
 * the daily budget, resuming from checkpoints and partial files after a cut.
 */
export class SyncEngine {
  private state: SyncState = emptyState();
  private meter!: ByteMeter;
  private running: Promise<RunResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private nextRunAt: number | null = null;
  private failures = 0;
  private stopped = false;
  /** Set when the stored state could not be read: no run, and the damaged doc is never overwritten. */
  private stateError: SyncStateCorrupt | null = null;
  /** The unconfirmed submissions, memoised (the portal's status lookups ask it every 20 s per phone). */
  readonly unconfirmedSet: UnconfirmedSubmissions;
  private readonly baseNow: () => number;
  private readonly sync: Required<Config['sync']>;

  private constructor(private readonly o: SyncEngineOptions) {
    this.baseNow = o.now ?? Date.now;
    this.unconfirmedSet = new UnconfirmedSubmissions(o.dbs.submissions);
    const s = o.config.sync;
    this.sync = { retryBaseSeconds: 5, attemptsPerRun: 6, probeSeconds: 60, batchSize: 500, mediaChunkKB: 1024, ...s } as Required<Config['sync']>;
  }

  static async create(o: SyncEngineOptions): Promise<SyncEngine> {
    const engine = new SyncEngine(o);
    try {
      engine.state = await loadState(o.dbs.submissions);
    } catch (e) {
      if (!(e instanceof SyncStateCorrupt)) throw e;
      engine.stateError = e;
      o.log.error({ reason: e.reason }, e.details);
    }
    engine.meter = new ByteMeter(o.config.sync.dailyBudgetMB * 1e6, () => engine.now(), engine.state.meter ?? undefined);
    return engine;
  }

  /** The time sync decisions use: the Pi's clock, corrected from central's Date header when it was obviously wrong. */
  now(): number {
    const base = this.baseNow();
    return base < SANE_CLOCK ? base + this.state.clockOffsetMs : base;
  }

  private get log(): Logger {
    return this.o.log;
  }

  configured(): boolean {
    const c = this.o.config.central;
    return Boolean(c.url && c.username && c.password);
  }

  status(): SyncStatus {
    const m = this.meter.read();
    return {
      enabled: this.o.config.sync.enabled,
      configured: this.configured(),
      central: this.o.config.central.url ?? null,
      running: this.running !== null,
      nextRunAt: this.nextRunAt ? new Date(this.nextRunAt).toISOString() : null,
      inWindow: inWindows(this.o.config.sync.windows, this.now()),
      windows: this.o.config.sync.windows,
      budget: { bytesPerDay: this.meter.budget, bytesToday: m.bytesToday, day: m.day, byClass: m.byClass },
      throughputBytesPerSecond: this.state.throughputBytesPerSecond,
      clockOffsetMs: this.state.clockOffsetMs,
      lastRun: this.state.lastRun,
      classes: structuredClone(this.state.classes),
      stateError: this.stateError?.details ?? null,
    };
  }

  /** Submission ids not yet confirmed by central (for the portal and USB export). */
  async unconfirmed(): Promise<string[]> {
    return unconfirmedSubmissionIds(this.o.dbs.submissions);
  }

  /** Runs a sync now, or joins the one already running. */
  runNow(trigger = 'manual'): Promise<RunResult> {
    this.running ??= this.run(trigger).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Starts the schedule: a first run soon, then every intervalMinutes (sooner after a transient failure). */
  start(firstDelayMs = 10_000): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.timer = this.probeTimer = null;
    this.nextRunAt = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAt = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runNow('schedule').then((r) => this.afterRun(r), () => this.afterRun(null));
    }, ms);
    this.timer.unref();
  }

  /** Next run: the interval after success; exponential backoff with jitter after a transient failure. */
  private afterRun(r: RunResult | null): void {
    if (this.stopped) return;
    const interval = this.sync.intervalMinutes * 60_000;
    const kinds = Object.values(this.state.classes).map((c) => c.lastError?.kind);
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
    const backoff = Math.min(interval, this.sync.retryBaseSeconds * 1000 * 2 ** this.failures);
    this.schedule(backoff * (0.5 + Math.random() * 0.5));
    if (kinds.includes('central-unreachable')) this.watchUplink();
  }

  /** While central is unreachable, a TCP connect every probeSeconds (no HTTP, no data) notices the uplink coming back. */
  private watchUplink(): void {
    if (this.probeTimer || this.stopped || !this.o.config.central.url) return;
    const url = new URL(this.o.config.central.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const tick = () => {
      this.probeTimer = null;
      if (this.stopped || this.running) return;
      const sock = connect({ host: url.hostname, port, timeout: 10_000 });
      const done = (up: boolean) => {
        sock.destroy();
        if (this.stopped) return;
        if (up) {
          this.log.info('uplink back: syncing now');
          void this.runNow('uplink-back').then((r) => this.afterRun(r), () => this.afterRun(null));
        } else {
          this.probeTimer = setTimeout(tick, this.sync.probeSeconds * 1000);
          this.probeTimer.unref();
        }
      };
      sock.once('connect', () => done(true));
      sock.once('error', () => done(false));
      sock.once('timeout', () => done(false));
    };
    this.probeTimer = setTimeout(tick, this.sync.probeSeconds * 1000);
    this.probeTimer.unref();
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private markAll(failure: Failure, classes: readonly SyncClass[] = SYNC_CLASSES): void {
    for (const c of classes) this.state.classes[c].lastError = { kind: failure.kind, message: failure.message, at: this.iso() };
  }

  private async run(trigger: string): Promise<RunResult> {
    const result: RunResult = { ok: false, trigger, classes: {}, bytes: 0 };
    const startBytes = this.meter.read().bytesToday;
    if (this.stateError) throw this.stateError;
    this.state.lastRun = { trigger, startedAt: this.iso(), endedAt: null, ok: false };
    if (!this.configured()) {
      this.markAll({ kind: 'not-configured', message: 'not configured: set central.url, central.username and central.password (espace central enroll prints them)', transient: false });
      return this.finish(result, startBytes);
    }
    // A Pi that booted without network thinks it is 1970: ask central the time (one small request) before judging the window.
    if (this.baseNow() < SANE_CLOCK) {
      const clockOnly = createTransport(this.meter, { timeoutMs: 30_000, userAgent: `espace-hub/${this.o.version} (${this.o.config.hubId})` });
      await this.probe(clockOnly).catch((err) => this.log.warn({ err: String(err) }, 'could not learn the time from central'));
      clockOnly.close();
    }
    if (!inWindows(this.o.config.sync.windows, this.now())) {
      const list = this.o.config.sync.windows.map((w) => `${w.from}–${w.to}`).join(', ');
      this.markAll({ kind: 'outside-window', message: `outside the window: sync runs only ${list}`, transient: false });
      return this.finish(result, startBytes);
    }
    if (this.meter.remaining() < MIN_RUN_BYTES) {
      this.markAll(classify(budgetError(this.meter)));
      return this.finish(result, startBytes);
    }
    const transport = createTransport(this.meter, { timeoutMs: 60_000, userAgent: `espace-hub/${this.o.version} (${this.o.config.hubId})` });
    try {
      await this.probe(transport);
      for (let i = 0; i < SYNC_CLASSES.length; i += 1) {
        const cls = SYNC_CLASSES[i]!;
        const cs = this.state.classes[cls];
        cs.lastAttempt = this.iso();
        this.meter.current = cls;
        const t0 = Date.now();
        const b0 = this.meter.read().byClass[cls];
        try {
          cs.moved = await this.withRetries(cls, () => this.runClass(cls, transport));
          cs.lastSuccess = this.iso();
          cs.lastError = null;
          result.classes[cls] = { ok: true, moved: cs.moved };
        } catch (err) {
          const f = this.classify(err);
          cs.lastError = { kind: f.kind, message: f.message, at: this.iso() };
          result.classes[cls] = { ok: false, moved: cs.moved, error: f.message };
          this.log.warn({ cls, kind: f.kind }, f.message);
          if (f.kind === 'budget-reached' || f.kind === 'credentials-refused' || f.kind === 'central-unreachable') {
            this.markAll(f, SYNC_CLASSES.slice(i + 1));
            break;
          }
        } finally {
          const bytes = this.meter.read().byClass[cls] - b0;
          const ms = Date.now() - t0;
          Object.assign(result.classes[cls] ?? {}, { ms, bytes });
          this.log.info({ cls, ms, bytes, moved: cs.moved }, 'sync class ended');
          this.learnThroughput(bytes, ms);
          await this.save();
        }
      }
    } catch (err) {
      const f = this.classify(err);
      this.markAll(f);
      this.log.warn({ kind: f.kind }, f.message);
    } finally {
      transport.close();
    }
    result.ok = SYNC_CLASSES.every((c) => result.classes[c]?.ok);
    return this.finish(result, startBytes);
  }

  private async finish(result: RunResult, startBytes: number): Promise<RunResult> {
    result.bytes = this.meter.read().bytesToday - startBytes;
    if (this.state.lastRun) {
      this.state.lastRun.endedAt = this.iso();
      this.state.lastRun.ok = result.ok;
    }
    await this.save();
    this.log.info({ trigger: result.trigger, ok: result.ok, bytes: result.bytes }, 'sync run ended');
    return result;
  }

  private async save(): Promise<void> {
    if (this.stateError) return;
    this.state.meter = this.meter.read();
    await saveState(this.o.dbs.submissions, this.state).catch((err) => this.log.warn({ err }, 'could not save the sync state'));
  }

  private learnThroughput(bytes: number, ms: number): void {
    if (bytes < 16_384 || ms < 200) return;
    const sample = (bytes / ms) * 1000;
    const prev = this.state.throughputBytesPerSecond;
    this.state.throughputBytesPerSecond = Math.round(prev ? prev * 0.7 + sample * 0.3 : sample);
  }

  private async withRetries<T>(cls: SyncClass, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn();
      } catch (err) {
        const f = this.classify(err);
        if (!f.transient || attempt >= this.sync.attemptsPerRun) throw f.kind === 'budget-reached' ? budgetError(this.meter) : err;
        const wait = Math.min(60_000, this.sync.retryBaseSeconds * 1000 * 2 ** (attempt - 1)) * (0.5 + Math.random() * 0.5);
        this.log.info({ cls, attempt, waitMs: Math.round(wait), kind: f.kind }, 'sync interrupted; resuming from the checkpoint');
        await sleep(wait);
      }
    }
  }

  /** As `classify`, knowing that PouchDB wraps the budget stop of our fetch into its own errors. */
  private classify(err: unknown): Failure {
    const f = classify(err);
    if (f.kind !== 'budget-reached' && this.meter.remaining() <= 0) return classify(budgetError(this.meter));
    return f;
  }

  private authorization(): string {
    const c = this.o.config.central;
    return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64');
  }

  /** One small request: is central there, do the credentials work, and what time is it. */
  private async probe(transport: Transport): Promise<void> {
    this.meter.current = 'probe';
    const res = await this.withRetries('push', async () => {
      const r = await transport.fetch(`${this.centralBase()}/_session`, { headers: { Authorization: this.authorization(), Accept: 'application/json' } });
      if (r.status >= 500) throw Object.assign(new Error(`HTTP ${r.status}`), { status: r.status });
      return r;
    });
    const body = (await res.json().catch(() => ({}))) as { userCtx?: { name?: string | null } };
    if (res.status === 401 || res.status === 403 || (res.ok && body.userCtx && body.userCtx.name !== this.o.config.central.username)) {
      throw Object.assign(new Error('unauthorized'), { status: 401 });
    }
    const serverDate = transport.lastServerDate();
    if (serverDate && this.baseNow() < SANE_CLOCK) {
      this.state.clockOffsetMs = serverDate - this.baseNow();
      this.log.warn({ offsetMs: this.state.clockOffsetMs }, "the hub's clock is wrong; using central's time for sync");
    }
  }

  private centralBase(): string {
    return this.o.config.central.url!.replace(/\/+$/, '');
  }

  private remote(name: string, transport: Transport): Database {
    const PouchDB = pouchConstructor();
    const c = this.o.config.central;
    const url = `${this.centralBase()}/${name}`;
    const auth = { username: c.username!, password: c.password! };
    const remote = new PouchDB(url, { fetch: transport.fetch, auth, skip_setup: true } as PouchDB.Configuration.RemoteDatabaseConfiguration) as Database;
    return withBulkGet(remote, url, transport.fetch, this.authorization());
  }

  private runClass(cls: SyncClass, transport: Transport): Promise<number> {
    if (cls === 'push') return this.push(transport);
    if (cls === 'content') return this.pullContent(transport);
    return this.fetchMedia(transport);
  }

  /** Push submissions then the heartbeat; `pushedSeq` advances as central acknowledges each batch. */
  private async push(transport: Transport): Promise<number> {
    const PouchDB = pouchConstructor();
    const { dbs, config } = this.o;
    await freshenHeartbeat(config, dbs, this.o.version, this.iso(), this.state.classes.push.lastSuccess).catch((err) => this.log.warn({ err: String(err) }, 'could not freshen the heartbeat before the push'));
    const denied: string[] = [];
    // Into this hub's own database at central (only it and central's replicator read it).
    const own = hubCentralDb(config.hubId);
    const rep = PouchDB.replicate(dbs.submissions, this.remote(own, transport), { batch_size: this.sync.batchSize, batches_limit: BATCHES_AHEAD });
    rep.on('change', (info) => {
      const seq = Number(info.last_seq);
      if (Number.isFinite(seq) && seq > this.state.pushedSeq) this.state.pushedSeq = seq;
    });
    let why = '';
    rep.on('denied', (err: unknown) => {
      const e = err as { id?: string; reason?: string; message?: string };
      denied.push(String(e.id ?? '?'));
      why ||= e.reason ?? e.message ?? '';
    });
    // The heartbeat goes alongside: its round trips overlap the submissions' instead of adding to them.
    const [res] = await Promise.all([rep, PouchDB.replicate(dbs.fleet, this.remote(own, transport), { batch_size: 10 })]);
    const seq = Number(res.last_seq);
    if (Number.isFinite(seq) && seq > this.state.pushedSeq) this.state.pushedSeq = seq;
    this.state.denied = [...new Set([...this.state.denied, ...denied])];
    this.state.classes.push.pending = { items: (await unconfirmedSubmissionIds(dbs.submissions)).length };
    if (denied.length) {
      throw Object.assign(new Error(`central refused ${denied.length} submission(s)`), { denied, reason: why });
    }
    return res.docs_written;
  }

  /** What is addressed to this hub: everyone, its region, its commune, or itself. */
  private audienceClauses(): PouchDB.Find.Selector[] {
    const { hubId, commune, region } = this.o.config;
    return [
      { 'audience.all': true },
      { 'audience.regions': { $elemMatch: { $eq: region } } },
      { 'audience.communes': { $elemMatch: { $eq: commune } } },
      { 'audience.hubs': { $elemMatch: { $eq: hubId } } },
    ] as PouchDB.Find.Selector[];
  }

  /** The Mango selector of the pull: what is addressed to this hub, and deletions (bare tombstones carry no audience). */
  audienceSelector(): PouchDB.Find.Selector {
    return { $or: [...this.audienceClauses(), { _deleted: true }] } as PouchDB.Find.Selector;
  }

  /** Pulls content for this hub; where a pack copy and central's disagree, central's winner stays. */
  private async pullContent(transport: Transport): Promise<number> {
    const PouchDB = pouchConstructor();
    const local = this.o.dbs.content;
    const remote = this.remote('content', transport);
    const before = (await local.info()).update_seq;
    const res = await PouchDB.replicate(remote, local, { selector: this.audienceSelector(), batch_size: this.sync.batchSize, batches_limit: BATCHES_AHEAD } as PouchDB.Replication.ReplicateOptions);
    await this.resolveConflicts(local, remote, before);
    // A doc whose audience no longer names this hub never comes with the pull: remove the copy here.
    const narrowed = await dropNarrowed({ remote, local, audienceClauses: this.audienceClauses(), since: this.state.contentNarrowSince ?? 0, log: this.log });
    this.state.contentNarrowSince = narrowed.since;
    this.state.classes.content.pending = { items: 0 };
    return res.docs_written + narrowed.removed.length;
  }

  private async resolveConflicts(local: Database, remote: Database, since: number | string): Promise<void> {
    const changes = await local.changes({ since, include_docs: true, conflicts: true });
    for (const row of changes.results) {
      const conflicts = (row.doc as { _conflicts?: string[] } | undefined)?._conflicts;
      if (!conflicts?.length) continue;
      const winner = await remote.get(row.id).then((d) => d._rev, () => null);
      if (!winner) continue;
      for (const rev of [row.doc!._rev, ...conflicts]) if (rev !== winner) await local.remove(row.id, rev);
      this.log.info({ id: row.id, kept: winner }, 'content conflict resolved in favour of central');
    }
  }

  private async fetchMedia(transport: Transport): Promise<number> {
    const fetcher = new MediaFetcher({
      centralUrl: this.centralBase(),
      authorization: this.authorization(),
      fetch: transport.fetch,
      meter: this.meter,
      store: this.o.media,
      mediaDb: this.o.dbs.media,
      partialDir: join(this.o.config.dataDir, 'sync', 'partial'),
      chunkBytes: this.sync.mediaChunkKB * 1024,
    });
    const plan = await fetcher.plan(await referencedMedia(this.o.dbs.content));
    const pending = this.state.classes.media;
    const update = async (done: number) => {
      const left = plan.slice(done);
      let bytes = 0;
      for (const w of left) bytes += w.size - (await fetcher.partialBytes(w.sha256));
      pending.pending = { items: left.length, bytes };
    };
    let done = 0;
    try {
      for (const w of plan) {
        await fetcher.fetchOne(w);
        done += 1;
      }
    } finally {
      await update(done);
    }
    return done;
  }
}

function budgetError(meter: ByteMeter): unknown {
  return budgetReached(meter.budget);
}
