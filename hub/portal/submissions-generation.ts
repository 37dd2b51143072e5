import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';

/** How stale a page showing submissions may be: a tenth of a second. */
const POLL_MS = 100;
/** Changes read per look at the feed (ids only). */
const PAGE = 500;
/** Further behind than this, every kind is taken as changed rather than read one by one. */
const MAX_GAP = 2000;

/** Counters per kind of submission, for the pages that show some kinds of submissions. */
export interface SubmissionsWatch {
  /**
   * A number that moves whenever a submission of one of `kinds` (the part of the id after the
   * hub id: `feedback`, `response`…) is written. Undefined until first read and whenever the
   * db cannot be read: such pages are then not cached.
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
 * Follows the submissions db for the page cache: its update sequence read every 100 ms (one
 * in-memory read), and when it moved, the ids changed since (a page of ids, no docs), each
 * counted under its kind. So a registration does not invalidate the officials' page, which
 * shows only published answers (feedback), nor a usage flush the consultations' results.
 * A live changes feed would be exact, but under a flood of writes on a saturated core it falls
 * behind and holds every pending change in memory (measured: +18 MB in a minute of 450
 * registrations a second); these reads hold one page of ids at most. An id of no kind, or a
 * gap too long to read, counts for every kind.
 */
export function watchSubmissions(db: Database, log: Logger): SubmissionsWatch {
  const counts = new Map<string, number>();
  /** Moved by changes that may concern any kind. */
  let every = 0;
  /** The update sequence every change up to is counted; undefined until first read or when unreadable. */
  let seq: number | undefined;
  let warned = false;
  let closed = false;

  const bump = (kind: string | undefined) => {
    if (kind === undefined) every += 1;
    else counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  const readOnce = async () => {
    if (closed) return;
    try {
      const info = await db.info();
      const now = typeof info.update_seq === 'number' ? info.update_seq : undefined;
      if (now === undefined || seq === undefined || now < seq || now - seq > MAX_GAP) {
        // First read, a db that went back (restored), or too far behind: everything may have changed.
        if (seq !== undefined || now === undefined) every += 1;
        seq = now;
      } else {
        for (let since = seq; since < now;) {
          const page: PouchDB.Core.ChangesResponse<Record<string, unknown>> = await db.changes({ since, limit: PAGE });
          for (const change of page.results) bump(kindOf(change.id));
          const last = Number(page.last_seq);
          if (page.results.length === 0 || !(last > since)) break;
          seq = since = last;
        }
      }
      warned = false;
    } catch (err) {
      seq = undefined;
      every += 1;
      if (!warned) log.warn({ err }, 'submissions db unreadable; pages showing submissions are not cached');
      warned = true;
    }
  };
  // One read at a time: the timer's and those asked for by settled() follow each other.
  let running: Promise<void> = readOnce();
  let queued = 0;
  const read = () => {
    queued += 1;
    running = running.then(readOnce).finally(() => (queued -= 1));
    return running;
  };
  // A read slower than the period (a saturated core) is not queued behind again and again.
  const timer = setInterval(() => void (queued === 0 && read()), POLL_MS);
  timer.unref();
  db.once('closed', () => {
    closed = true;
    clearInterval(timer);
    seq = undefined;
  });
  return {
    generation(kinds) {
      if (seq === undefined) return undefined;
      let n = every;
      for (const k of kinds) n += counts.get(k) ?? 0;
      return n;
    },
    settled: read,
  };
}
