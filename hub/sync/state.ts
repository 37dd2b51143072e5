import type { Database } from '../storage/index.js';
import type { FailureKind } from './failures.js';
import type { MeterSnapshot, SyncClass } from './meter.js';

export interface ClassState {
  lastSuccess: string | null;
  lastAttempt: string | null;
  lastError: { kind: FailureKind; message: string; at: string } | null;
  /** Docs (push, content) or files (media) moved in the last run. */
  moved: number;
  /** What is still waiting: docs to push, files (and bytes) to fetch; null when unknown until central is asked. */
  pending: { items: number; bytes?: number } | null;
}

export interface SyncState {
  classes: Record<SyncClass, ClassState>;
  meter: MeterSnapshot | null;
  /** The submissions seq up to which central has everything (see confirm.ts). */
  pushedSeq: number;
  /** Submissions central refused (validate_doc_update): past the checkpoint, yet not at central. */
  denied: string[];
  /** Added to the Pi's clock when it is obviously wrong (no clock battery). */
  clockOffsetMs: number;
  throughputBytesPerSecond: number | null;
  lastRun: { trigger: string; startedAt: string; endedAt: string | null; ok: boolean } | null;
}

export const STATE_ID = '_local/espace-sync';

export function emptyState(): SyncState {
  const cls = (): ClassState => ({ lastSuccess: null, lastAttempt: null, lastError: null, moved: 0, pending: null });
  return { classes: { push: cls(), content: cls(), media: cls() }, meter: null, pushedSeq: 0, denied: [], clockOffsetMs: 0, throughputBytesPerSecond: null, lastRun: null };
}

/** The sync state lives in a `_local` doc of the submissions db: kept on disk, never replicated. */
export async function loadState(db: Database): Promise<SyncState> {
  try {
    const doc = (await db.get(STATE_ID)) as unknown as { state: SyncState };
    return { ...emptyState(), ...doc.state };
  } catch {
    return emptyState();
  }
}

export async function saveState(db: Database, state: SyncState): Promise<void> {
  let rev: string | undefined;
  try {
    rev = (await db.get(STATE_ID))._rev;
  } catch {
    rev = undefined;
  }
  await db.put({ _id: STATE_ID, ...(rev ? { _rev: rev } : {}), state } as never);
}
