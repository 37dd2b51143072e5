import { Heartbeat, parseWith } from '../../content/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import type { Databases } from '../storage/index.js';
import { hubIdentity, measureHub, writeHeartbeat } from './store.js';

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
    const measured = await measureHub(config, dbs);
    return parseWith(
      Heartbeat,
      {
        ...hubIdentity(config),
        version,
        at: now.toISOString(),
        ...measured,
        temperatureC: await temperature(),
        lastSync: this.lastSync(),
        ...(this.o.tls ? { tls: await this.o.tls() } : {}),
      },
      'invalid-heartbeat',
      500
    );
  }

  /** Builds and stores a heartbeat now, replacing the previous one. */
  writeNow(): Promise<Heartbeat> {
    const run = this.chain.then(async () => {
      const doc = await this.build();
      // Replaces the whole doc: this writer measures everything the sync's freshening keeps.
      await writeHeartbeat(this.o.dbs.fleet, doc._id, () => doc);
      this.o.onWrite?.(doc);
      return doc;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** A first heartbeat right away, then one per interval; failures are logged, never thrown. */
  start(): void {
    if (this.timer) return;
    const beat = () => void this.writeNow().catch((err: unknown) => this.o.log.warn({ err }, 'heartbeat not written; trying again at the next interval'));
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
