import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';

/**
 * A counter that moves on every write to the submissions db (a vote counted, an answer
 * published, a usage flush), for the pages that show submissions. Undefined until the feed
 * follows the db from a known sequence, and again if it fails: such pages are then not cached.
 */
export function watchSubmissions(db: Database, log: Logger): { readonly generation: number | undefined } {
  let generation: number | undefined;
  let feed: PouchDB.Core.Changes<Record<string, unknown>> | undefined;
  let closed = false;
  db.once('closed', () => {
    closed = true;
    generation = undefined;
    feed?.cancel();
  });
  // From the sequence read first, so no write between starting and following is missed.
  db.info().then(
    (info) => {
      if (closed) return;
      let n = 0;
      feed = db.changes({ live: true, since: info.update_seq });
      feed.on('change', () => {
        n += 1;
        generation = n;
      });
      feed.on('error', (err) => {
        generation = undefined;
        if (!closed) log.warn({ err }, 'submissions feed stopped; pages showing submissions are no longer cached');
      });
      generation = 0;
    },
    (err) => log.warn({ err }, 'submissions db unreadable; pages showing submissions are not cached'),
  );
  return {
    get generation() {
      return generation;
    },
  };
}
