import { stringify } from 'csv-stringify/sync';
import { AGE_KEYS, SEX_KEYS, formatShare } from './breakdown.js';
import type { IndicatorReport } from './compute.js';

export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 text that Excel opens correctly: UTF-8 with a byte-order mark, CRLF line ends,
 * fields quoted when they hold a comma, a quote or a line break.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header as string[], ...(rows as CsvCell[][])], { bom: true, record_delimiter: 'windows', cast: { boolean: (b) => (b ? 'oui' : 'non') } });
}

const SEX_LABEL = { F: 'femmes', M: 'hommes', unknown: 'sexe inconnu' } as const;
const ageLabel = (a: string) => (a === 'unknown' ? 'âge inconnu' : `${a} ans`);

const HEADER = [
  'indicateur',
  'libellé',
  'périmètre',
  'du',
  'au',
  'commune',
  'total',
  ...SEX_KEYS.map((s) => SEX_LABEL[s]),
  ...AGE_KEYS.map(ageLabel),
  ...SEX_KEYS.flatMap((s) => AGE_KEYS.map((a) => `${SEX_LABEL[s]} ${ageLabel(a)}`)),
  'part des femmes',
  'part des jeunes (15-35 ans)',
];

/**
 * One row per indicator: totals, by sex, by age band, sex × age band, and the shares of
 * women and young people; several reports (all hubs, then each hub) follow one another,
 * told apart by the "périmètre" column.
 */
export function indicatorsCsv(report: IndicatorReport, scope: string, more: { report: IndicatorReport; scope: string }[] = []): string {
  return toCsv(HEADER, [{ report, scope }, ...more].flatMap((x) => rowsOf(x.report, x.scope)));
}

function rowsOf(report: IndicatorReport, scope: string): CsvCell[][] {
  const f = report.filter;
  return report.rows.map((r) => {
    const b = r.breakdown;
    return [
      r.key,
      r.label,
      scope,
      f.from ?? '',
      f.to ?? '',
      f.commune ?? 'toutes',
      b.total,
      ...SEX_KEYS.map((s) => b.bySex[s]),
      ...AGE_KEYS.map((a) => b.byAge[a]),
      ...SEX_KEYS.flatMap((s) => AGE_KEYS.map((a) => b.bySexAge[s][a])),
      formatShare(b.womenShare),
      formatShare(b.youthShare),
    ];
  });
}
