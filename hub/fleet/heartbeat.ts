import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Heartbeat, nullIfNotFound, parseWith } from '../../content/index.js';
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

/** Where Linux exposes its temperature sensors (a Pi's SoC is `cpu-thermal`, zone 0). */
const THERMAL = '/sys/class/thermal';

/**
 * The SoC temperature from the kernel's thermal zones (the CPU's zone when one says so, else
 * the first readable), or null where none is readable (development machines, some boards).
 * Read directly: systeminformation would stay loaded for it, ~2 MB of heap kept for one file.
 */
export async function cpuTemperature(dir = THERMAL): Promise<number | null> {
  const zones = ((await readdir(dir).catch(nullIfNotFound)) ?? []).filter((z) => z.startsWith('thermal_zone')).sort();
  const read = async (zone: string, file: string) => ((await readFile(join(dir, zone, file), 'utf8').catch(nullIfNotFound)) ?? '').trim();
  const typed = await Promise.all(zones.map(async (zone) => ({ zone, type: await read(zone, 'type') })));
  const ordered = [...typed.filter((z) => /cpu|soc|x86_pkg/i.test(z.type)), ...typed.filter((z) => !/cpu|soc|x86_pkg/i.test(z.type))];
  for (const { zone } of ordered) {
    const milli = Number.parseInt(await read(zone, 'temp'), 10);
    if (Number.isFinite(milli)) return Math.round(milli / 100) / 10;
  }
  return null;
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
        // A sensor that fails to read (EIO, EINVAL) must not stop the heartbeat: said, and null.
        temperatureC: await cpuTemperature().catch((err: unknown) => {
          this.o.log.warn({ err }, 'CPU temperature not readable');
          return null;
        }),
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
