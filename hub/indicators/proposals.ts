import { ACTION_STATUSES, latestProgress, PROPOSAL_DECISIONS, PROPOSAL_THEMES, type Plan } from '../../content/index.js';
import { addTo, emptyBreakdown, formatShare, type Breakdown } from './breakdown.js';
import { toCsv, type CsvCell } from './csv.js';

/*
 * Citizen proposals and the action plans in the monitoring figures (issue 15): what was
 * proposed and by whom, how it was supported (online, on paper, where), what reached its
 * threshold and what the officials answered (and how fast), how far the plans' actions are.
 * Pure: the hub computes it from its own submissions and what central published, central from
 * every hub's submissions and its content.
 */

type Doc = Record<string, unknown>;

/** What the figures read: the submissions (proposals, supports, sheets; others are skipped), and the proposals' fate and the plans. */
export interface ProposalSources {
  submissions: Iterable<Doc>;
  /** Per proposal (its submission id), as central published it: its commune, when it reached its threshold, the answer. */
  outcomes: ReadonlyMap<string, { commune?: string; studyAt?: string; answer?: { decision: string; at: string } }>;
  plans: readonly Plan[];
}

export interface ProposalFilter {
  /** First day included / last day included ("YYYY-MM-DD"); on the day a proposal or support was made. */
  from?: string;
  to?: string;
  /** Only the proposals of this commune (and their supports). */
  commune?: string;
}

export interface ProposalFigures {
  filter: ProposalFilter;
  /** Proposals made, by the proposer's sex and age band. */
  made: Breakdown;
  byCommune: Record<string, number>;
  byTheme: Record<string, number>;
  forWomen: number;
  forYoung: number;
  /** Members' supports (online), by the supporter's sex and age band. */
  online: Breakdown;
  /** Signatures entered from paper sheets (no sex or age on a sheet). */
  paper: number;
  byHub: Record<string, { proposals: number; online: number; paper: number }>;
  /** Of the proposals made in the period: reached their commune's threshold, answered (by decision). */
  reachedThreshold: number;
  answered: Record<(typeof PROPOSAL_DECISIONS)[number], number>;
  /** Days from a proposal to its answer, over the answered ones. */
  daysToAnswer: { n: number; median: number | null; mean: number | null };
  /** The plans' actions (those of the commune, when one is chosen), by the status of their latest update ("sans-point": none yet). */
  actions: { total: number; byStatus: Record<(typeof ACTION_STATUSES)[number] | 'sans-point', number>; meanDone: number | null; budget: number; spent: number };
}

const dayOf = (d: Doc) => (typeof d.createdAt === 'string' ? d.createdAt.slice(0, 10) : '');
const inPeriod = (day: string, f: ProposalFilter) => day !== '' && (!f.from || day >= f.from) && (!f.to || day <= f.to);

function middle(xs: number[]): { n: number; median: number | null; mean: number | null } {
  if (!xs.length) return { n: 0, median: null, mean: null };
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { n: s.length, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export function proposalFigures(src: ProposalSources, filter: ProposalFilter = {}): ProposalFigures {
  const f: ProposalFigures = {
    filter,
    made: emptyBreakdown(),
    byCommune: {},
    byTheme: Object.fromEntries(PROPOSAL_THEMES.map((t) => [t, 0])),
    forWomen: 0,
    forYoung: 0,
    online: emptyBreakdown(),
    paper: 0,
    byHub: {},
    reachedThreshold: 0,
    answered: { retenue: 0, rejetee: 0, 'deja-prevue': 0 },
    daysToAnswer: { n: 0, median: null, mean: null },
    actions: {
      total: 0,
      byStatus: { ...Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])), 'sans-point': 0 } as ProposalFigures['actions']['byStatus'],
      meanDone: null,
      budget: 0,
      spent: 0,
    },
  };
  const hub = (h: unknown) => (f.byHub[String(h)] ??= { proposals: 0, online: 0, paper: 0 });
  const proposals: Doc[] = [];
  const supports: Doc[] = [];
  const sheets: Doc[] = [];
  const communeOf = new Map<string, string>();
  for (const d of src.submissions) {
    if (d._deleted) continue;
    if (d.type === 'proposal') {
      proposals.push(d);
      communeOf.set(String(d._id), String(d.commune));
    } else if (d.type === 'support') supports.push(d);
    else if (d.type === 'papersupport') sheets.push(d);
  }
  // A support may be for a proposal made at another space: its commune is then central's copy's.
  const ofCommune = (proposal: unknown) =>
    !filter.commune || (communeOf.get(String(proposal)) ?? src.outcomes.get(String(proposal))?.commune) === filter.commune;
  const days: number[] = [];
  for (const p of proposals) {
    if (!inPeriod(dayOf(p), filter) || !ofCommune(p._id)) continue;
    addTo(f.made, p.sex, p.ageBand);
    f.byCommune[String(p.commune)] = (f.byCommune[String(p.commune)] ?? 0) + 1;
    f.byTheme[String(p.theme)] = (f.byTheme[String(p.theme)] ?? 0) + 1;
    const who = Array.isArray(p.beneficiaries) ? p.beneficiaries : [];
    if (who.includes('femmes')) f.forWomen += 1;
    if (who.includes('jeunes')) f.forYoung += 1;
    hub(p.hubId).proposals += 1;
    const fate = src.outcomes.get(String(p._id));
    if (fate?.studyAt) f.reachedThreshold += 1;
    if (fate?.answer && fate.answer.decision in f.answered) {
      f.answered[fate.answer.decision as keyof ProposalFigures['answered']] += 1;
      days.push(Math.max(0, (Date.parse(fate.answer.at) - Date.parse(String(p.createdAt))) / 86_400_000));
    }
  }
  f.daysToAnswer = middle(days);
  // Supports given in the period, to proposals of the commune (when one is chosen) wherever they were made.
  const seen = new Set<string>();
  for (const s of supports) {
    if (!inPeriod(dayOf(s), filter) || !ofCommune(s.proposal) || seen.has(String(s._id))) continue;
    seen.add(String(s._id));
    addTo(f.online, s.sex, s.ageBand);
    hub(s.hubId).online += 1;
  }
  for (const s of sheets) {
    if (!inPeriod(dayOf(s), filter) || !ofCommune(s.proposal)) continue;
    const n = typeof s.count === 'number' ? s.count : 0;
    f.paper += n;
    hub(s.hubId).paper += n;
  }
  let doneSum = 0;
  for (const plan of src.plans) {
    if (filter.commune && !plan.communes.includes(filter.commune)) continue;
    for (const a of plan.priorities.flatMap((r) => r.actions)) {
      const last = latestProgress(a);
      f.actions.total += 1;
      f.actions.byStatus[last?.status ?? 'sans-point'] += 1;
      f.actions.budget += a.budget;
      f.actions.spent += last?.spent ?? 0;
      doneSum += last?.done ?? 0;
    }
  }
  f.actions.meanDone = f.actions.total ? doneSum / f.actions.total : null;
  return f;
}

export const DECISION_LABEL: Record<string, string> = { retenue: 'retenues dans le plan', rejetee: 'rejetées', 'deja-prevue': 'déjà prévues' };
export const ACTION_STATUS_NAME: Record<string, string> = {
  'a-venir': 'à venir',
  'en-cours': 'en cours',
  fait: 'faites',
  'en-retard': 'en retard',
  abandonne: 'abandonnées',
  'sans-point': 'sans point d’avancement',
};
const SEX = { F: 'femmes', M: 'hommes', unknown: 'sexe inconnu' } as const;
const age = (a: string) => (a === 'unknown' ? 'âge inconnu' : `${a} ans`);

/**
 * The figures as CSV for French Excel (see toCsv: BOM, ";", decimal comma): one line per
 * measure and category, several scopes (all hubs, then each hub) one after another.
 */
export function proposalFiguresCsv(figs: { scope: string; figures: ProposalFigures }[]): string {
  const rows: CsvCell[][] = [];
  for (const { scope, figures: f } of figs) {
    const line = (measure: string, category: string, value: number | string | null) =>
      rows.push([measure, category, scope, f.filter.from ?? '', f.filter.to ?? '', f.filter.commune ?? 'toutes', value]);
    const breakdown = (measure: string, b: Breakdown) => {
      line(measure, 'total', b.total);
      for (const s of ['F', 'M', 'unknown'] as const) line(measure, SEX[s], b.bySex[s]);
      for (const [a, n] of Object.entries(b.byAge)) line(measure, age(a), n);
      line(measure, 'part des femmes', formatShare(b.womenShare));
      line(measure, 'part des jeunes (15-35 ans)', formatShare(b.youthShare));
    };
    breakdown('propositions faites', f.made);
    for (const [c, n] of Object.entries(f.byCommune)) line('propositions par commune', c, n);
    for (const [t, n] of Object.entries(f.byTheme)) line('propositions par thème', t, n);
    line('propositions pour les femmes', 'total', f.forWomen);
    line('propositions pour les jeunes', 'total', f.forYoung);
    breakdown('soutiens en ligne', f.online);
    line('soutiens sur papier', 'total', f.paper);
    for (const [h, c] of Object.entries(f.byHub)) {
      line('soutiens en ligne par espace', h, c.online);
      line('soutiens sur papier par espace', h, c.paper);
    }
    line('propositions au seuil', 'total', f.reachedThreshold);
    for (const [d, n] of Object.entries(f.answered)) line('propositions répondues', DECISION_LABEL[d] ?? d, n);
    line('délai de réponse (jours)', 'médiane', f.daysToAnswer.median === null ? '' : Math.round(f.daysToAnswer.median * 10) / 10);
    line('délai de réponse (jours)', 'moyenne', f.daysToAnswer.mean === null ? '' : Math.round(f.daysToAnswer.mean * 10) / 10);
    for (const [s, n] of Object.entries(f.actions.byStatus)) line('actions des plans', ACTION_STATUS_NAME[s] ?? s, n);
    line('actions des plans', 'part réalisée moyenne (%)', f.actions.meanDone === null ? '' : Math.round(f.actions.meanDone));
    line('actions des plans', 'budget (FCFA)', f.actions.budget);
    line('actions des plans', 'dépensé (FCFA)', f.actions.spent);
  }
  return toCsv(['mesure', 'catégorie', 'périmètre', 'du', 'au', 'commune', 'valeur'], rows);
}
