import type { Application, Call, GrantReport } from '../../content/index.js';

/** The calls for local initiatives in the monitoring figures (hub: its own applications; central: every hub's). */
export interface GrantFigures {
  calls: number;
  /** Calls taking applications on the day of the figures. */
  open: number;
  applications: number;
  byKind: Record<string, number>;
  byCommune: Record<string, number>;
  /** Amount asked for by the applications (FCFA). */
  requested: number;
  funded: number;
  /** Granted by the published results (FCFA). */
  fundedAmount: number;
  /** Spending reported by the funded initiatives (latest report of each; FCFA). */
  reportedSpending: number;
}

/**
 * Figures of the calls: how many, the applications by organisation kind and commune, the amount
 * granted (from the published results) and the spending reported (each initiative's latest
 * report, from the hub's own reports and those central published, counted once by source).
 */
export function grantFigures(
  calls: readonly Pick<Call, '_id' | 'opens' | 'deadline' | 'results' | 'reports'>[],
  applications: readonly Pick<Application, '_id' | 'call' | 'kind' | 'commune' | 'total'>[],
  reports: readonly Pick<GrantReport, '_id' | 'application' | 'createdAt' | 'spent'>[] = [],
  today = new Date().toISOString().slice(0, 10)
): GrantFigures {
  const f: GrantFigures = {
    calls: calls.length,
    open: 0,
    applications: 0,
    byKind: {},
    byCommune: {},
    requested: 0,
    funded: 0,
    fundedAmount: 0,
    reportedSpending: 0,
  };
  for (const c of calls) {
    if (today >= c.opens && today <= c.deadline) f.open += 1;
    for (const r of c.results?.ranking ?? []) {
      if (!r.funded) continue;
      f.funded += 1;
      f.fundedAmount += r.amount;
    }
  }
  for (const a of applications) {
    f.applications += 1;
    f.byKind[a.kind] = (f.byKind[a.kind] ?? 0) + 1;
    f.byCommune[a.commune] = (f.byCommune[a.commune] ?? 0) + 1;
    f.requested += a.total;
  }
  const latest = new Map<string, { at: string; spent: number; source: string }>();
  const consider = (application: string, at: string, spent: number, source: string) => {
    const known = latest.get(application);
    if (!known || known.at < at) latest.set(application, { at, spent, source });
  };
  for (const c of calls) for (const r of c.reports ?? []) consider(r.application, r.at, r.spent, r.source);
  for (const r of reports) consider(r.application, r.createdAt, r.spent, r._id);
  for (const v of latest.values()) f.reportedSpending += v.spent;
  return f;
}

/** Labels of the kinds of organisation, for figures and CSV (French). */
export const APPLICANT_KIND_LABELS: Record<string, string> = {
  femmes: 'organisation de femmes',
  jeunes: 'organisation de jeunes',
  mixte: 'organisation mixte',
  cooperative: 'coopérative',
  autre: 'autre',
};
