import type { Response } from 'express';
import { toCsv, type CsvCell } from '../indicators/index.js';

export { asText } from '../indicators/index.js';

/** Sends a CSV download French Excel opens as columns (";", UTF-8 with BOM, CRLF; formulas neutralised). */
export function sendCsv(res: Response, filename: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]): void {
  sendCsvText(res, filename, toCsv(header, rows));
}

export function sendCsvText(res: Response, filename: string, text: string): void {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(text);
}
