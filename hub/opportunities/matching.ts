import { YOUTH_BANDS, type AgeBand, type Opportunity } from '../../content/index.js';

/** What matching reads of a person: their trades, commune, sex and age band. */
export interface Candidate {
  trades: readonly string[];
  commune?: string;
  sex?: string;
  ageBand?: string;
}

type Target = Pick<Opportunity, 'trades' | 'communes' | 'for'>;

/** Whether an opportunity is for this person: one of their trades (or any trade), their commune (or any), and who may apply. */
export function matches(o: Target, c: Candidate): boolean {
  if (o.trades.length > 0 && !o.trades.some((t) => c.trades.includes(t))) return false;
  if (o.communes.length > 0 && (!c.commune || !o.communes.includes(c.commune))) return false;
  return eligible(o, c);
}

/** "Women, young people": either one may apply. */
function eligible(o: Target, c: Candidate): boolean {
  if (o.for.length === 0) return true;
  return (o.for.includes('femmes') && c.sex === 'F') || (o.for.includes('jeunes') && YOUTH_BANDS.includes(c.ageBand as AgeBand));
}

/**
 * Every opportunity's people, for many at once (the SMS notices of 500 opportunities to 22 000
 * members): people are indexed by commune and trade once, so each opportunity looks only at
 * those of its communes and trades instead of everyone.
 */
export class MatchIndex<C extends Candidate> {
  /** commune → trade → people; "" for people without a commune. */
  private readonly index = new Map<string, Map<string, C[]>>();
  private readonly everyone: C[] = [];

  constructor(people: Iterable<C>) {
    for (const c of people) {
      this.everyone.push(c);
      let byTrade = this.index.get(c.commune ?? '');
      if (!byTrade) this.index.set(c.commune ?? '', (byTrade = new Map<string, C[]>()));
      for (const t of new Set(c.trades)) {
        const list = byTrade.get(t);
        if (list) list.push(c);
        else byTrade.set(t, [c]);
      }
    }
  }

  /** The people an opportunity is for, each once. */
  match(o: Target): C[] {
    if (o.trades.length === 0) {
      const pool = o.communes.length === 0 ? this.everyone : this.everyone.filter((c) => c.commune && o.communes.includes(c.commune));
      return pool.filter((c) => eligible(o, c));
    }
    const found = new Set<C>();
    const communes = o.communes.length > 0 ? o.communes : [...this.index.keys()].filter((k) => k !== '' || o.communes.length === 0);
    for (const commune of communes) {
      const byTrade = this.index.get(commune);
      if (!byTrade) continue;
      for (const t of o.trades) for (const c of byTrade.get(t) ?? []) if (eligible(o, c)) found.add(c);
    }
    return [...found];
  }
}
