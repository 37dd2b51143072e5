import { addTo, emptyBreakdown, type Breakdown } from '../indicators/index.js';
import type { Database } from '../storage/index.js';

/** "Intéressé(e)" for one opportunity: by sex and age band, and how many on each hub. */
export interface InterestCount {
  breakdown: Breakdown;
  byHub: Map<string, number>;
}

/** Interest docs (from one hub, or central's copy of every hub's) counted per opportunity. */
export function countInterest(docs: Iterable<Record<string, unknown>>): Map<string, InterestCount> {
  const out = new Map<string, InterestCount>();
  for (const d of docs) {
    if (d.type !== 'interest' || d._deleted || typeof d.opportunity !== 'string') continue;
    let c = out.get(d.opportunity);
    if (!c) out.set(d.opportunity, (c = { breakdown: emptyBreakdown(), byHub: new Map() }));
    addTo(c.breakdown, d.sex, d.ageBand, 1);
    const hub = String(d.hubId);
    c.byHub.set(hub, (c.byHub.get(hub) ?? 0) + 1);
  }
  return out;
}

/** "Intéressé(e)" on this hub per opportunity, by sex and age band (no names: the docs hold none). */
export async function interestByOpportunity(submissions: Database, hubId: string): Promise<Map<string, Breakdown>> {
  const prefix = `${hubId}:interest:`;
  const res = await submissions.allDocs({ startkey: prefix, endkey: `${prefix}\uffff`, include_docs: true });
  const counts = countInterest(res.rows.flatMap((r) => (r.doc ? [r.doc] : [])));
  return new Map([...counts].map(([id, c]) => [id, c.breakdown]));
}
