import { addTo, emptyBreakdown, type Breakdown } from '../indicators/index.js';
import type { Database } from '../storage/index.js';

/** "Intéressé(e)" on this hub per opportunity, by sex and age band (no names: the docs hold none). */
export async function interestByOpportunity(submissions: Database, hubId: string): Promise<Map<string, Breakdown>> {
  const prefix = `${hubId}:interest:`;
  const res = await submissions.allDocs({ startkey: prefix, endkey: `${prefix}\uffff`, include_docs: true });
  const out = new Map<string, Breakdown>();
  for (const row of res.rows) {
    const d = row.doc as Record<string, unknown> | undefined;
    if (!d || typeof d.opportunity !== 'string') continue;
    let b = out.get(d.opportunity);
    if (!b) out.set(d.opportunity, (b = emptyBreakdown()));
    addTo(b, d.sex, d.ageBand, 1);
  }
  return out;
}
