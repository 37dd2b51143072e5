import { z } from 'zod';
import { AppError, isNotFound } from '../../content/index.js';
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
  /** Central's content changes read for docs narrowed away from this hub (an opaque sequence). */
  contentNarrowSince?: string | number;
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
  return {
    classes: { push: cls(), content: cls(), media: cls() },
    meter: null,
    pushedSeq: 0,
    denied: [],
    clockOffsetMs: 0,
    throughputBytesPerSecond: null,
    lastRun: null,
  };
}

/**
 * What a stored state must hold for the budget and the push checkpoint to be trusted: the
 * fields the sync decides with. Other fields are filled from an empty state when missing.
 */
const StoredState = z.object({
  state: z.looseObject({
    meter: z.object({ day: z.string(), bytesToday: z.number().nonnegative(), byClass: z.record(z.string(), z.number()) }).nullable(),
    pushedSeq: z.number().int().nonnegative(),
    denied: z.array(z.string()).optional(),
    classes: z.record(z.string(), z.looseObject({})).optional(),
  }),
});

/** The stored sync state cannot be read: sync stops rather than start again from an empty day. */
export class SyncStateCorrupt extends AppError {
  constructor(what: string) {
    super(
      500,
      'sync-state-corrupt',
      `the sync state (${STATE_ID} in the submissions database) is damaged (${what}); sync is stopped so that today's data budget and the push checkpoint are not reset. Serving goes on. Restore the hub's data from a backup, or report it to the programme's technicians`
    );
    this.name = 'SyncStateCorrupt';
  }
}

/**
 * The sync state lives in a `_local` doc of the submissions db: kept on disk, never replicated.
 * No doc yet is a fresh hub (an empty state); a doc that does not hold a state is an error,
 * never taken for a fresh hub (that would reset the day's budget and re-push everything).
 */
export async function loadState(db: Database): Promise<SyncState> {
  let doc: unknown;
  try {
    doc = await db.get(STATE_ID);
  } catch (e) {
    if (isNotFound(e)) return emptyState();
    throw e;
  }
  const parsed = StoredState.safeParse(doc);
  if (!parsed.success) throw new SyncStateCorrupt(parsed.error.issues.map((i) => `${i.path.join('.') || 'state'}: ${i.message}`).join('; '));
  return { ...emptyState(), ...(parsed.data.state as Partial<SyncState>) };
}

export async function saveState(db: Database, state: SyncState): Promise<void> {
  let rev: string | undefined;
  try {
    rev = (await db.get(STATE_ID))._rev;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  await db.put({ _id: STATE_ID, ...(rev ? { _rev: rev } : {}), state } as never);
}
