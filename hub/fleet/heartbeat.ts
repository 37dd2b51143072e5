import { statfs } from 'node:fs/promises';
import { Heartbeat, parseWith } from '../../content/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import type { Databases } from '../storage/index.js';

export interface HeartbeatOptions {
  config: Config;
  dbs: Databases;
  version: string;
  log: Logger;
  /** Time between two heartbeats; 15 minutes by default. */
  intervalMs?: number;
  /** When the last sync succeeded; the sync engine provides it (see `setLastSyncSource`). */
  lastSync?: () => string | null;
  /** HTTPS state and CSR, when the hub has a TLS name (see hub/tls). */
  tls?: () => Promise<Heartbeat['tls']>;
  /** Told of each heartbeat written (main republishes lastSync on mDNS with it). */
  onWrite?: (heartbeat: Heartbeat) => void;
}

const DEFAULT_INTERVAL_MS = 15 * 60 * 1000;

/** The SoC temperature, or null where no sensor is readable (development machines, some boards). */
async function temperature(): Promise<number | null> {
  try {
    // Loaded on first use: the library weighs megabytes the hub does not need to serve visitors.
    const si = (await import('systeminformation')).default;
    const t = (await si.cpuTemperature()).main;
    return typeof t === 'number' && Number.isFinite(t) ? Math.round(t * 10) / 10 : null;
  } catch {
    return null;
  }
}

/**
 * Writes this hub's heartbeat (one doc per hub in `fleet`, id = hub id) on a schedule; the sync
 * pushes it to central, where `espace fleet` reads every hub's. Writes run one at a time.
 */
export class HeartbeatWriter {
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private lastSync: () => string | null;

  constructor(private readonly o: HeartbeatOptions) {
    this.lastSync = o.lastSync ?? (() => null);
  }

  /** The hook for the sync engine: where the time of its last success comes from. */
  setLastSyncSource(fn: () => string | null): void {
    this.lastSync = fn;
  }

  async build(now = new Date()): Promise<Heartbeat> {
    const { config, dbs, version } = this.o;
    const fs = await statfs(config.dataDir);
    const counts: Record<string, number> = {};
    for (const name of ['content', 'media', 'submissions'] as const) counts[name] = (await dbs[name].info()).doc_count;
    return parseWith(Heartbeat, {
      _id: config.hubId,
      type: 'heartbeat',
      hubId: config.hubId,
      spaceName: config.spaceName,
      commune: config.commune,
      region: config.region,
      version,
      at: now.toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      disk: { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize },
      temperatureC: await temperature(),
      lastSync: this.lastSync(),
      counts,
      ...(this.o.tls ? { tls: await this.o.tls() } : {}),
    }, 'invalid-heartbeat', 500);
  }

  /** Builds and stores a heartbeat now, replacing the previous one. */
  writeNow(): Promise<Heartbeat> {
    const run = this.chain.then(async () => {
      const doc = await this.build();
      const db = this.o.dbs.fleet;
      // Another writer (the sync engine) may have put a newer revision: retry with it.
      for (let attempt = 0; ; attempt += 1) {
        const prev = await db.get(doc._id).catch(() => null);
        try {
          await db.put({ ...doc, ...(prev ? { _rev: prev._rev } : {}) } as never);
          break;
        } catch (e) {
          if ((e as { status?: number }).status !== 409 || attempt >= 2) throw e;
        }
      }
      this.o.onWrite?.(doc);
      return doc;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** A first heartbeat right away, then one per interval; failures are logged, never thrown. */
  start(): void {
    if (this.timer) return;
    const beat = () =>
      void this.writeNow().catch((err) => this.o.log.warn({ err }, 'heartbeat not written; trying again at the next interval'));
    beat();
    this.timer = setInterval(beat, this.o.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }
}
