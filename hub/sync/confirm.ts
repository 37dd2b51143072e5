import type { Database } from '../storage/index.js';
import { loadState } from './state.js';

/**
 * "Confirmed in Bamako": a submission has reached central when its latest local change is at or
 * before the seq the push has completed (`pushedSeq`, advanced only after central acknowledged a
 * batch). Anything changed after it, or refused by central, is unconfirmed — what USB export carries.
 */
export async function unconfirmedSubmissionIds(submissions: Database): Promise<string[]> {
  const { pushedSeq, denied } = await loadState(submissions);
  const ids: string[] = [...denied];
  let since: number | string = pushedSeq;
  for (;;) {
    const page: PouchDB.Core.ChangesResponse<Record<string, unknown>> = await submissions.changes({ since, limit: 1000 });
    for (const r of page.results) if (!r.id.startsWith('_') && !denied.includes(r.id)) ids.push(r.id);
    if (page.results.length < 1000) break;
    since = page.last_seq;
  }
  return ids;
}

/** Whether each of these submission ids has reached central (false for an id this hub does not hold). */
export async function confirmedInBamako(submissions: Database, ids: readonly string[]): Promise<Map<string, boolean>> {
  const pending = new Set(await unconfirmedSubmissionIds(submissions));
  const held = await submissions.allDocs({ keys: [...ids] });
  const exists = new Set(held.rows.filter((r) => 'value' in r && r.value && !(r.value as { deleted?: boolean }).deleted).map((r) => r.key));
  return new Map(ids.map((id) => [id, exists.has(id) && !pending.has(id)]));
}
