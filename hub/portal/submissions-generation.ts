import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';

/** How stale a page showing submissions may be: a tenth of a second. */
const POLL_MS = 100;

/**
 * A counter that moves on every write to the submissions db (a vote counted, an answer
 * published, a usage flush), for the pages that show submissions: the db's update sequence,
 * read every 100 ms. A live changes feed would be exact, but under a flood of writes on a
 * saturated core it falls behind and holds every pending change in memory (measured: +18 MB
 * in a minute of 450 registrations a second); the sequence costs one in-memory read.
 * Undefined until first read and whenever the db cannot be read: such pages are then not cached.
 */
export function watchSubmissions(db: Database, log: Logger): { readonly generation: number | undefined } {
  let generation: number | undefined;
  let warned = false;
  const read = () =>
    db.info().then(
      (info) => {
        generation = typeof info.update_seq === 'number' ? info.update_seq : undefined;
        warned = false;
      },
      (err: unknown) => {
        generation = undefined;
        if (!warned) log.warn({ err }, 'submissions db unreadable; pages showing submissions are not cached');
        warned = true;
      }
    );
  void read();
  const timer = setInterval(() => void read(), POLL_MS);
  timer.unref();
  db.once('closed', () => {
    clearInterval(timer);
    generation = undefined;
  });
  return {
    get generation() {
      return generation;
    },
  };
}
