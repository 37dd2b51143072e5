import { performance } from 'node:perf_hooks';
import { MatchIndex, matches, type Candidate } from '../../hub/opportunities/index.js';
import { TRADE_SLUGS } from '../../content/index.js';
import { round } from './load.js';
import type { Report } from './report.js';

const TRADES = TRADE_SLUGS;
const COMMUNES = Array.from({ length: 40 }, (_, i) => `commune-${i}`);
const BANDS = ['15-24', '25-35', '36-59', '60+'];

/** A deterministic generator, so both sides of the comparison see the same people. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/**
 * The SMS notices of new opportunities (issue 16): 500 opportunities matched against 22 000
 * members by trade, commune and who may apply, with the hub's index (people grouped by commune
 * and trade once) beside the plain check of every member for every opportunity.
 */
export function benchOpportunities(report: Report, opts: { members: number; opportunities: number }): void {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const people: Candidate[] = Array.from({ length: opts.members }, () => ({
    trades: [pick(TRADES), ...(r() < 0.3 ? [pick(TRADES)] : [])],
    commune: pick(COMMUNES),
    sex: r() < 0.6 ? 'F' : 'M',
    ageBand: pick(BANDS),
  }));
  const opportunities = Array.from({ length: opts.opportunities }, () => ({
    trades: r() < 0.1 ? [] : [pick(TRADES)],
    communes: r() < 0.2 ? [] : [pick(COMMUNES), pick(COMMUNES)],
    for: r() < 0.5 ? ['femmes' as const] : r() < 0.5 ? ['jeunes' as const] : [],
  }));

  let t0 = performance.now();
  const index = new MatchIndex(people);
  const built = performance.now() - t0;
  t0 = performance.now();
  let indexed = 0;
  for (const o of opportunities) indexed += index.match(o).length;
  const withIndex = performance.now() - t0;

  t0 = performance.now();
  let plain = 0;
  for (const o of opportunities) for (const c of people) if (matches(o, c)) plain += 1;
  const naive = performance.now() - t0;
  if (plain !== indexed) throw new Error(`the index found ${indexed} notices, the plain check ${plain}: they must agree`);

  report.add({
    section: 'opportunities',
    metric: `${opts.opportunities} opportunities × ${opts.members} members: ${indexed} notices (index built in ${round(built, 1)} ms)`,
    value: round(withIndex, 1),
    unit: 'ms',
    baseline: round(naive, 1),
  });
}
