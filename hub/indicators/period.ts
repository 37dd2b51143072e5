import { AppError } from '../../content/index.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The first and last day of a month "YYYY-MM". */
export function monthRange(month: string): { from: string; to: string } {
  const m = MONTH.exec(month);
  if (!m) throw new AppError(400, 'bad-month', `month must look like "2026-11" (got "${month.slice(0, 20)}")`);
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** A day "YYYY-MM-DD" from a form or query, or undefined when left empty. */
export function parseDay(value: unknown, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !DAY.test(value) || Number.isNaN(Date.parse(value))) {
    throw new AppError(400, 'bad-date', `${name} must be a date like "2026-11-22"`);
  }
  return value;
}
