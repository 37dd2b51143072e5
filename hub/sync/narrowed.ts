/**
 * Content whose audience no longer names this hub (issue 13, item 8). The pull asks central
 * only for what is addressed here (a Mango selector), so a doc whose newer revision is for
 * other spaces never arrives and the old copy would stay on this hub for good. After each
 * pull, central's changes feed is asked the other way round (what is *not* for this hub,
 * since the last time) and the copies here that came from central are removed. What this hub
 * wrote itself (a local event, a facilitator's opportunity, a pack loaded by USB) is never
 * touched: a copy is removed only when its revision is in central's history of that doc.
 */
import type { Logger } from '../log/index.js';

type Database = PouchDB.Database<Record<string, unknown>>;
type Selector = PouchDB.Find.Selector;

const PAGE = 500;

/** The selector of what is not for this hub: live docs none of the audience clauses match. */
export function notForThisHub(audienceClauses: readonly Selector[]): Selector {
  return { type: { $exists: true }, $nor: [...audienceClauses] };
}

/** Whether `rev` is in the doc's history at `remote` (so the copy here came from central). */
async function cameFromRemote(remote: Database, id: string, rev: string): Promise<boolean> {
  try {
    const doc = await remote.get(id, { revs: true });
    const h = doc._revisions;
    if (!h) return false;
    return h.ids.some((hash, i) => `${h.start - i}-${hash}` === rev);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return false;
    throw e;
  }
}

/**
 * Removes the local copies of docs central narrowed away from this hub, reading central's
 * changes from `since` (an opaque sequence). Returns the new checkpoint and what was removed.
 */
export async function dropNarrowed(o: {
  remote: Database;
  local: Database;
  audienceClauses: readonly Selector[];
  since: string | number;
  log: Logger;
}): Promise<{ since: string | number; removed: string[] }> {
  let since = o.since;
  const removed: string[] = [];
  for (;;) {
    const page = await o.remote.changes({ since, limit: PAGE, filter: '_selector', selector: notForThisHub(o.audienceClauses) });
    const ids = [...new Set(page.results.filter((r) => !r.deleted).map((r) => r.id))];
    if (ids.length) {
      const here = await o.local.allDocs({ keys: ids });
      for (const row of here.rows) {
        if (!('value' in row) || row.value.deleted) continue;
        if (!(await cameFromRemote(o.remote, row.id, row.value.rev))) continue;
        await o.local.remove(row.id, row.value.rev);
        removed.push(row.id);
      }
    }
    since = page.last_seq;
    if (page.results.length < PAGE) break;
  }
  if (removed.length) o.log.info({ removed }, 'content no longer addressed to this hub removed');
  return { since, removed };
}
