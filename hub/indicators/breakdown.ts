import { AGE_BANDS, YOUTH_BANDS, type AgeBand } from '../../content/index.js';

export const SEX_KEYS = ['F', 'M', 'unknown'] as const;
export type SexKey = (typeof SEX_KEYS)[number];
export const AGE_KEYS = [...AGE_BANDS, 'unknown'] as const;
export type AgeKey = (typeof AGE_KEYS)[number];

/**
 * A count disaggregated by sex and by age band. "unknown" is a category of its own:
 * a person whose sex or age was not given is counted, never dropped.
 */
export interface Breakdown {
  total: number;
  bySex: Record<SexKey, number>;
  byAge: Record<AgeKey, number>;
  /** Sex × age band, for tables that cross the two. */
  bySexAge: Record<SexKey, Record<AgeKey, number>>;
  /** Women (F) over the total, unknown included in the total; null when the total is 0. */
  womenShare: number | null;
  /** 15–35 year olds over the total, unknown included; null when the total is 0. */
  youthShare: number | null;
}

const zeroAges = (): Record<AgeKey, number> => Object.fromEntries(AGE_KEYS.map((k) => [k, 0])) as Record<AgeKey, number>;

export function emptyBreakdown(): Breakdown {
  return {
    total: 0,
    bySex: { F: 0, M: 0, unknown: 0 },
    byAge: zeroAges(),
    bySexAge: { F: zeroAges(), M: zeroAges(), unknown: zeroAges() },
    womenShare: null,
    youthShare: null,
  };
}

export function sexKey(sex: unknown): SexKey {
  return sex === 'F' || sex === 'M' ? sex : 'unknown';
}

export function ageKey(band: unknown): AgeKey {
  return (AGE_BANDS as readonly unknown[]).includes(band) ? (band as AgeBand) : 'unknown';
}

/** Adds `n` people (or visits) of a sex and age band; shares are recomputed. */
export function addTo(b: Breakdown, sex: unknown, band: unknown, n = 1): void {
  const s = sexKey(sex);
  const a = ageKey(band);
  b.total += n;
  b.bySex[s] += n;
  b.byAge[a] += n;
  b.bySexAge[s][a] += n;
  b.womenShare = b.total === 0 ? null : b.bySex.F / b.total;
  b.youthShare = b.total === 0 ? null : YOUTH_BANDS.reduce((sum, y) => sum + b.byAge[y], 0) / b.total;
}

/** A share as a French percentage ("42 %"), or "—" when there is nobody to share. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)} %`;
}
