import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import {
  computeIndicators,
  couchReader,
  formatShare,
  indicatorsCsv,
  loadSources,
  monthRange,
  parseDay,
  type IndicatorFilter,
  type IndicatorReport,
} from '../../hub/index.js';

interface Options {
  central: string;
  from?: string;
  to?: string;
  month?: string;
  commune?: string;
  csv?: boolean;
  byHub?: boolean;
}

/** Central's credentials from the environment only: never from argv, where `ps` shows them. */
function credentials(): { username: string; password: string } {
  const username = process.env.ESPACE_CENTRAL_USERNAME;
  const password = process.env.ESPACE_CENTRAL_PASSWORD;
  if (!username || !password) {
    throw new AppError(
      2,
      'central-credentials-missing',
      "set ESPACE_CENTRAL_USERNAME and ESPACE_CENTRAL_PASSWORD to an account that can read central's submissions (an administrator)"
    );
  }
  return { username, password };
}

function filterOf(o: Options): IndicatorFilter {
  const range = o.month ? monthRange(o.month) : { from: parseDay(o.from, '--from'), to: parseDay(o.to, '--to') };
  if (o.commune && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(o.commune))
    throw new AppError(2, 'bad-commune', '--commune is a commune slug, for example --commune kayes');
  return { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}), ...(o.commune ? { commune: o.commune } : {}) };
}

/** A plain-text table: one line per indicator, counts by sex and the shares of women and young people. */
export function indicatorsTable(report: IndicatorReport): string {
  const rows = [
    ['INDICATEUR', 'TOTAL', 'F', 'M', 'SEXE ?', '15-35', 'ÂGE ?', '% FEMMES', '% JEUNES'],
    ...report.rows.map((r) => {
      const b = r.breakdown;
      return [
        r.label,
        b.total,
        b.bySex.F,
        b.bySex.M,
        b.bySex.unknown,
        b.byAge['15-24'] + b.byAge['25-35'],
        b.byAge.unknown,
        formatShare(b.womenShare),
        formatShare(b.youthShare),
      ].map(String);
    }),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** Adds `indicators` under a parent command (the top-level program, or `espace fleet`). */
export function addIndicatorsCommand(parent: Command): Command {
  return parent
    .command('indicators')
    .description('the results-framework indicators across all hubs, read from central (credentials: ESPACE_CENTRAL_USERNAME/PASSWORD)')
    .requiredOption('--central <url>', 'central CouchDB, e.g. https://central.example.ml/')
    .option('--month <YYYY-MM>', 'one month, e.g. 2026-11')
    .option('--from <YYYY-MM-DD>', 'first day included')
    .option('--to <YYYY-MM-DD>', 'last day included')
    .option('--commune <slug>', 'only this commune')
    .option('--csv', 'CSV (RFC 4180, UTF-8 with BOM) instead of a table')
    .option('--by-hub', "each hub's figures too, after those of all hubs")
    .action(async (o: Options) => {
      const filter = filterOf(o);
      const sources = await loadSources(couchReader(o.central, credentials()), new Map(), true);
      const report = computeIndicators(sources, filter);
      const all = [...sources.submissions];
      const hubs = o.byHub ? [...new Set(all.map((d) => String(d.hubId)))].sort() : [];
      const perHub = hubs.map((hub) => ({ scope: hub, report: computeIndicators({ ...sources, submissions: all.filter((d) => d.hubId === hub) }, filter) }));
      if (o.csv) {
        process.stdout.write(indicatorsCsv(report, 'central', perHub));
        return;
      }
      const period = `${filter.from ?? 'début'} → ${filter.to ?? 'aujourd’hui'}${filter.commune ? `, commune ${filter.commune}` : ', toutes communes'}`;
      const sections = [{ scope: 'tous les hubs', report }, ...perHub].map(
        (x) => `${x.scope}\n${indicatorsTable(x.report)}\n${x.report.attendances} présence(s) aux formations`
      );
      process.stdout.write(`Indicateurs (${period}); « ? » = non déclaré, compté.\n\n${sections.join('\n\n')}\n`);
    });
}

/**
 * `espace indicators --central URL`: top level because `espace fleet` requires its own
 * --central and commander checks a parent's required options before a subcommand runs;
 * `addIndicatorsCommand(fleet)` makes it `espace fleet indicators` once fleet allows it.
 */
export function registerIndicators(program: Command): void {
  addIndicatorsCommand(program);
}
