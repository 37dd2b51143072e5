import { watchWrites, type Database } from '../storage/index.js';

/** Counters per kind of submission, for the pages that show some kinds of submissions. */
export interface SubmissionsWatch {
  /**
   * A number that moves whenever a submission of one of `kinds` (the part of the id after the
   * hub id: `feedback`, `response`…) is written. Undefined once the db is closed: such pages
   * are then not cached.
   */
  generation(kinds: readonly string[]): number | undefined;
  /** Resolves once every write made before the call is counted (tests, and callers that just wrote). */
  settled(): Promise<void>;
}

/** The kind in a submission id `<hubId>:<kind>:<rest>`; undefined for any other id (a design doc). */
export function kindOf(id: string): string | undefined {
  const a = id.indexOf(':');
  const b = a === -1 ? -1 : id.indexOf(':', a + 1);
  return b === -1 ? undefined : id.slice(a + 1, b);
}

/**
 * Follows the submissions db for the page cache: the storage tells it the ids of every batch
 * written (`watchWrites`), each counted under its kind, before the write resolves. So a
 * registration does not invalidate the officials' page, which shows only published answers
 * (feedback), nor a usage flush the consultations' results. An id of no kind counts for every
 * kind. Nothing is read back: polling the changes feed cost a LevelDB read per doc written
 * (a tenth of the hub's CPU in a flood of registrations), and a live feed falls behind under
 * such a flood and holds every pending change in memory (+18 MB in a minute of 450 a second).
 */
export function watchSubmissions(db: Database): SubmissionsWatch {
  const counts = new Map<string, number>();
  /** Moved by writes that may concern any kind. */
  let every = 0;
  let closed = false;
  const stop = watchWrites(db, (ids) => {
    for (const id of ids) {
      const kind = kindOf(id);
      if (kind === undefined) every += 1;
      else counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  });
  db.once('closed', () => {
    closed = true;
    stop();
  });
  return {
    generation(kinds) {
      if (closed) return undefined;
      let n = every;
      for (const k of kinds) n += counts.get(k) ?? 0;
      return n;
    },
    // Counted as each write lands: nothing is ever behind.
    settled: () => Promise.resolve(),
  };
}
