import { stringify } from 'csv-stringify/sync';
import { AGE_KEYS, SEX_KEYS, formatShare } from './breakdown.js';
import type { IndicatorReport } from './compute.js';

/** A value a spreadsheet must show exactly as typed (a phone number, a code), never as a number. */
export interface CsvText {
  readonly text: string;
}
export const asText = (text: string | undefined | null): CsvText | undefined => (text == null || text === '' ? undefined : { text });

export type CsvCell = string | number | boolean | null | undefined | CsvText;

/**
 * Characters that make Excel or LibreOffice read a cell as a formula (OWASP "CSV
 * injection"), with their full-width forms, which Excel also accepts.
 */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
/** What a phone number or a code may hold to be written as a text formula. */
const TEXT_SAFE = /^[+0-9 ]{1,32}$/;

/** A cell that would start a formula is prefixed with a quote mark: shown, never run. */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  // A number stays a number (even negative: it is ours, not typed by a stranger), with the decimal comma of French Excel.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  if (typeof value === 'string') return neutralise(value);
  // ="…" is the one way Excel keeps "+223 76…" or "0076…" as typed; only digits, "+" and spaces get it.
  return TEXT_SAFE.test(value.text) ? `="${value.text}"` : neutralise(value.text);
}

/**
 * CSV for the spreadsheets of the spaces (French Excel on Windows, LibreOffice): UTF-8 with a
 * byte-order mark, ";" between cells (the list separator of French Windows: with "," Excel
 * puts each row in one cell), CRLF line ends, fields quoted when they hold a ";", a quote or a
 * line break. Every text cell is neutralised against formula injection; numbers stay numbers.
 * Chosen over .xlsx: no new dependency, streams in constant memory on the Pi, and a person can
 * read it; a "sep=;" line is not added because Excel then ignores the BOM and mangles accents.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header.map(neutralise), ...rows.map((r) => r.map(cell))], { bom: true, delimiter: ';', record_delimiter: 'windows' });
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
  return toCsv(
    HEADER,
    [{ report, scope }, ...more].flatMap((x) => rowsOf(x.report, x.scope))
  );
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
