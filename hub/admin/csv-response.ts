import type { Response } from 'express';
import { toCsv, type CsvCell } from '../indicators/index.js';

/** Sends an RFC 4180 CSV download (UTF-8 with BOM, CRLF) that Excel opens. */
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
