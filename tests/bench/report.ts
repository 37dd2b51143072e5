import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  section: string;
  metric: string;
  value: number | string;
  unit?: string;
  baseline?: number | string;
  ratio?: number;
  budget?: string;
  ok?: boolean;
}

/** Collects figures from every bench section; prints one table and writes JSON under var/bench/. */
export class Report {
  readonly rows: Row[] = [];
  readonly limits: Record<string, unknown> = {};

  add(row: Row): void {
    this.rows.push(row);
    const r = row.ratio !== undefined ? `  (${row.ratio}× baseline ${row.baseline})` : row.baseline !== undefined ? `  (baseline ${row.baseline})` : '';
    const b = row.budget ? `  budget ${row.budget}: ${row.ok ? 'met' : 'NOT met'}` : '';
    process.stdout.write(`  ${row.section} · ${row.metric}: ${row.value}${row.unit ? ' ' + row.unit : ''}${r}${b}\n`);
  }

  print(): void {
    const header = ['section', 'metric', 'value', 'baseline', 'ratio', 'budget'];
    const lines = this.rows.map((r) => [
      r.section,
      r.metric,
      `${r.value}${r.unit ? ' ' + r.unit : ''}`,
      String(r.baseline ?? ''),
      r.ratio !== undefined ? `${r.ratio}×` : '',
      r.budget ? `${r.budget} ${r.ok ? '✓' : '✗'}` : '',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    process.stdout.write(
      `\nSummary (limits: ${JSON.stringify(this.limits)})\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${lines.map(fmt).join('\n')}\n`
    );
  }

  write(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), limits: this.limits, rows: this.rows }, null, 2));
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), limits: this.limits, rows: this.rows }, null, 2));
    return file;
  }
}
