import type { Call } from '../../../content/index.js';
import { APPLICANT_KIND_LABELS, toCsv, type CsvCell } from '../../../hub/index.js';
import type { JuryRecords } from './jury.js';
import { rankApplications } from './scoring.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * One call's applications with their scores, for French Excel (";", BOM, decimal comma): the
 * current ranking (the published one once results are out), each criterion's average over the
 * non-conflicted jurors, the conflicts declared. No contact: the CSV leaves the console.
 */
export function applicationsCsv(c: Call, records: JuryRecords): string {
  const { ranking } = c.results ?? rankApplications(c, records.applications, records.assessments);
  const header = [
    'appel',
    'rang',
    'candidature',
    'espace',
    'organisation',
    'type d’organisation',
    'commune',
    'montant demandé (FCFA)',
    'jurés ayant noté',
    'conflits déclarés',
    'score (sur 100)',
    ...c.criteria.map((k) => `${k.label.fr} (moyenne sur ${k.max})`),
    'financée',
    'montant accordé (FCFA)',
  ];
  const rows: CsvCell[][] = ranking.map((r) => {
    const mine = records.assessments.filter((a) => a.application === r.application);
    const scored = mine.filter((a) => !a.conflict && a.scores);
    const avg = (id: string) => {
      const v = scored.map((a) => a.scores![id]).filter((x): x is number => typeof x === 'number');
      return v.length ? round2(v.reduce((s, x) => s + x, 0) / v.length) : null;
    };
    return [
      c._id.slice('call:'.length),
      r.rank,
      r.application,
      r.hub,
      r.organisation,
      APPLICANT_KIND_LABELS[r.kind] ?? r.kind,
      r.commune,
      r.requested,
      r.jurors,
      mine.filter((a) => a.conflict).length,
      r.score,
      ...c.criteria.map((k) => avg(k.id)),
      r.funded,
      r.amount,
    ];
  });
  return toCsv(header, rows);
}
