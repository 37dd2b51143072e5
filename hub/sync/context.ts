import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { pouchConstructor, type Database, type Databases, type MediaStore } from '../storage/index.js';
import { withBulkGet } from './bulk-get.js';
import type { ByteMeter } from './meter.js';
import type { SyncState } from './state.js';
import type { Transport } from './transport.js';

/** The sync settings with their defaults filled in. */
export type SyncSettings = Required<Config['sync']>;

export function syncSettings(config: Config): SyncSettings {
  return { retryBaseSeconds: 5, attemptsPerRun: 6, probeSeconds: 60, batchSize: 500, mediaChunkKB: 1024, ...config.sync };
}

/** What the scheduler, a run and each class share: the hub's parts, the stored state, the meter and the clock. */
export interface SyncContext {
  readonly config: Config;
  readonly settings: SyncSettings;
  readonly dbs: Databases;
  readonly media: MediaStore;
  readonly log: Logger;
  readonly version: string;
  /** Mutated in place by a run and saved after each class. */
  readonly state: SyncState;
  readonly meter: ByteMeter;
  /** The Pi's own clock (tests move it). */
  baseNow(): number;
  /** The clock sync decides with: corrected from central's when the Pi's is obviously wrong. */
  now(): number;
  iso(): string;
}

export function configured(config: Config): boolean {
  const c = config.central;
  return Boolean(c.url && c.username && c.password);
}

/** Central's address and credentials, and PouchDB handles on its databases over a run's transport. */
export class Central {
  constructor(private readonly config: Config) {}

  base(): string {
    return this.config.central.url!.replace(/\/+$/, '');
  }

  authorization(): string {
    const c = this.config.central;
    return 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64');
  }

  database(name: string, transport: Transport): Database {
    const PouchDB = pouchConstructor();
    const c = this.config.central;
    const url = `${this.base()}/${name}`;
    const auth = { username: c.username!, password: c.password! };
    const remote = new PouchDB(url, { fetch: transport.fetch, auth, skip_setup: true });
    return withBulkGet(remote, url, transport.fetch, this.authorization());
  }
}

/** Batches PouchDB reads ahead while one is written: on a 600 ms round trip, overlap matters more than memory. */
export const BATCHES_AHEAD = 4;

/** One class of the run: moves its docs or files and answers how many. */
export type ClassWork = (ctx: SyncContext, central: Central, transport: Transport) => Promise<number>;
