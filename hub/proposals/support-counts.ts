import { z } from 'zod';
import type { Logger } from '../log/index.js';
import { idsWithPrefix, type Database, narrowWith, putDoc } from '../storage/index.js';

/** A member code as support ids carry it ("KX7-M4P" → "kx7m4p"). */
export const codeKey = (code: string) => code.replace('-', '').toLowerCase();

/** The proposal and the member a support's id names ("<hub>:support:<phub>.proposal.<id>.<code>"), or null. */
export function fromSupportId(id: string): { proposal: string; member: string } | null {
  const rest = id.slice(id.indexOf(':support:') + ':support:'.length).split('.');
  if (rest.length !== 4 || rest[1] !== 'proposal') return null;
  return { proposal: `${rest[0]}:proposal:${rest[2]}`, member: rest[3]! };
}

const SNAPSHOT = '_local/proposal-supports';
/** Supports added since the last snapshot that make it worth writing a new one. */
const SAVE_AFTER = 500;
const SAVE_EVERY_MS = 5 * 60_000;

interface Snapshot {
  _id: string;
  _rev?: string;
  /** The submissions db's update_seq the snapshot is at: changes after it are replayed. */
  seq: number | string;
  /** Proposal → the members' keys, comma-separated (compact: 100 000 supports are about 1 MB). */
  supporters: Record<string, string>;
}

const asSnapshot = narrowWith<Snapshot>(
  z.looseObject({ _id: z.string(), _rev: z.string().optional(), seq: z.union([z.number(), z.string()]), supporters: z.record(z.string(), z.string()) })
);

/**
 * Who supported what here, kept in memory and counted once at start. The count comes from a
 * snapshot (a `_local` doc: never replicated) plus the changes since it, rather than from every
 * support: at 100 000 supports, reading each doc made a restart wait 46 s on one core before the
 * counts were right, reading their ids 5 s. A missing or unreadable snapshot falls back to the
 * ids; one left behind by a power cut is only older (the changes since it are replayed).
 */
export class SupportCounts {
  private readonly supporters = new Map<string, Set<string>>();
  private dirty = 0;
  /** Support writes under way: a snapshot is taken only when none is (see write). */
  private inflight = 0;
  /** Counted to the end: before that a snapshot would hold part of the supports. */
  private loaded = false;
  private saving: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly hubId: string,
    private readonly log?: Logger
  ) {}

  /** Adds a support (the member's key, see codeKey); true when it is new. */
  add(proposal: string, key: string): boolean {
    let s = this.supporters.get(proposal);
    if (!s) this.supporters.set(proposal, (s = new Set()));
    if (s.has(key)) return false;
    s.add(key);
    this.dirty += 1;
    if (this.dirty >= SAVE_AFTER) void this.save();
    return true;
  }

  /** Runs a support's write (which adds it here once stored): snapshots wait for it. */
  async writing<T>(fn: () => Promise<T>): Promise<T> {
    this.inflight += 1;
    try {
      return await fn();
    } finally {
      this.inflight -= 1;
    }
  }

  has(proposal: string, key: string): boolean {
    return this.supporters.get(proposal)?.has(key) ?? false;
  }

  count(proposal: string): number {
    return this.supporters.get(proposal)?.size ?? 0;
  }

  async load(): Promise<void> {
    // A snapshot that cannot be read is rebuilt from the changes, as a missing one.
    const snap = asSnapshot(await this.db.get(SNAPSHOT).catch(() => null));
    const prefix = `${this.hubId}:support:`;
    if (snap) {
      for (const [proposal, keys] of Object.entries(snap.supporters)) this.supporters.set(proposal, new Set(keys.split(',')));
      let since = snap.seq;
      let replayed = 0;
      for (;;) {
        const res = await this.db.changes({ since, limit: 5000 });
        for (const ch of res.results) {
          if (!ch.id.startsWith(prefix)) continue;
          const s = fromSupportId(ch.id);
          if (!s) continue;
          replayed += 1;
          if (ch.deleted) this.supporters.get(s.proposal)?.delete(s.member);
          else if (this.supporters.has(s.proposal)) this.supporters.get(s.proposal)!.add(s.member);
          else this.supporters.set(s.proposal, new Set([s.member]));
        }
        since = res.last_seq;
        if (res.results.length < 5000) break;
      }
      // What was replayed goes into the next snapshot, so the next start replays less.
      this.dirty = replayed;
    } else {
      for await (const id of idsWithPrefix(this.db, prefix)) {
        const s = fromSupportId(id);
        if (s) this.add(s.proposal, s.member);
      }
    }
    this.loaded = true;
    if (this.dirty) void this.save();
    this.timer = setInterval(() => void (this.dirty ? this.save() : undefined), SAVE_EVERY_MS);
    this.timer.unref();
  }

  /** Writes the snapshot (one at a time) when supports came since the last; a failure only means a slower next start. */
  save(): Promise<void> {
    if (!this.loaded || (!this.dirty && !this.saving)) return Promise.resolve();
    this.saving ??= this.write()
      .catch((err: unknown) => this.log?.warn({ err }, 'support counts snapshot not written'))
      .finally(() => (this.saving = undefined));
    return this.saving;
  }

  private async write(): Promise<void> {
    // The snapshot must hold every support stored up to its seq: none may be stored but not yet
    // added here. With no write under way before and after reading the seq, none is.
    for (let i = 0; i < 100 && this.inflight; i += 1) await new Promise((r) => setTimeout(r, 10));
    if (this.inflight) return;
    const { update_seq } = await this.db.info();
    if (this.inflight) return; // the next trigger tries again (dirty is kept)
    const dirty = this.dirty;
    const supporters: Record<string, string> = {};
    for (const [proposal, keys] of this.supporters) if (keys.size) supporters[proposal] = [...keys].join(',');
    const old = asSnapshot(await this.db.get(SNAPSHOT).catch(() => null));
    const next: Snapshot = { _id: SNAPSHOT, ...(old?._rev ? { _rev: old._rev } : {}), seq: update_seq, supporters };
    await putDoc(this.db, next);
    this.dirty = Math.max(0, this.dirty - dirty);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
