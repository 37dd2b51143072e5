import type { Request } from 'express';
import { AppError } from '../../../content/index.js';
import { sessionOf } from '../../auth/index.js';
import { channelsCsv, indicatorsCsv, monthRange, parseDay, proposalFiguresCsv, type IndicatorFilter } from '../../indicators/index.js';
import { breakdownTable } from '../breakdown-table.js';
import { communityFiguresBlock } from '../community-figures.js';
import { grantFiguresBlock } from '../grant-figures.js';
import { sexChart, youthChart } from '../charts.js';
import { sendCsvText } from '../csv-response.js';
import { channelTables } from '../channel-tables.js';
import { proposalFiguresBlock } from '../proposal-figures.js';
import { query } from '../form.js';
import { html } from '../html.js';
import { page, select, when } from '../layout.js';
import { STAFF, type AdminRoute } from '../route-table.js';

function filterOf(req: Request): IndicatorFilter {
  const from = parseDay(query(req, 'from'), 'from');
  const to = parseDay(query(req, 'to'), 'to');
  if (from && to && from > to) throw new AppError(400, 'bad-period', 'the start of the period (from) must not be after its end (to)');
  const commune = query(req, 'commune');
  if (commune && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(commune)) throw new AppError(400, 'bad-commune', 'commune must be a commune slug like "kayes"');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(commune ? { commune } : {}) };
}

const qs = (f: IndicatorFilter) => new URLSearchParams(Object.entries(f) as [string, string][]).toString();
const thisMonth = () => new Date().toISOString().slice(0, 7);
const lastMonth = () => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const monthName = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;

export const indicatorRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/indicators',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const filter = filterOf(req);
      const [report, communes, channels] = await Promise.all([s.figures.indicators(filter), s.figures.communes(), s.figures.channels(filter)]);
      const rows = report.rows.map((r) => ({ label: r.label, breakdown: r.breakdown }));
      const period = `${filter.from ? `du ${filter.from}` : 'depuis le début'} ${filter.to ? `au ${filter.to}` : 'à aujourd’hui'}${filter.commune ? `, commune ${filter.commune}` : ', toutes communes'}`;
      const body = html`
<form method="get" action="/admin/indicators" class="row filters no-print">
  <label for="from">Du</label><input id="from" name="from" type="date" value="${filter.from ?? ''}">
  <label for="to">Au</label><input id="to" name="to" type="date" value="${filter.to ?? ''}">
  <label for="commune">Commune</label>${select('commune', [['', 'Toutes'], ...communes], filter.commune ?? '')}
  <button type="submit">Afficher</button>
</form>
<p class="no-print"><a href="/admin/indicators.csv?${qs(filter)}">Exporter (CSV)</a> · <a href="/admin/indicators-canaux.csv?${qs(filter)}">Par canal (CSV)</a> · Rapport mensuel : <a href="/admin/report?month=${thisMonth()}${filter.commune ? `&commune=${filter.commune}` : ''}">${monthName(thisMonth())}</a> · <a href="/admin/report?month=${lastMonth()}${filter.commune ? `&commune=${filter.commune}` : ''}">${monthName(lastMonth())}</a></p>
<p class="meta">Période : ${period}. Les personnes dont le sexe ou l’âge n’est pas connu sont comptées dans « inconnu », jamais écartées. Jeunes : 15 à 35 ans.</p>
${breakdownTable('Indicateurs par sexe et par tranche d’âge', rows)}
<p class="meta">${report.attendances} présence(s) enregistrée(s) aux formations et sessions.</p>
<div class="charts">
${sexChart('Répartition par sexe', rows)}
${youthChart('Part des jeunes (15–35 ans)', rows)}
</div>
<dl class="notes">${report.rows.map((r) => html`<dt>${r.label}</dt><dd>${r.note}</dd>`)}</dl>
${channelTables(channels)}
${grantFiguresBlock('Appels à initiatives locales (candidatures déposées ici)', await s.deps.grants.figures())}
${proposalFiguresBlock('Propositions citoyennes et plans d’actions', await s.figures.proposals(filter), `/admin/indicators/propositions.csv?${qs(filter)}`)}`;
      return { page: page({ title: 'Indicateurs', session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
  {
    method: 'GET',
    path: '/admin/indicators.csv',
    roles: STAFF,
    async handle(s, req, res) {
      const filter = filterOf(req);
      const report = await s.figures.indicators(filter);
      sendCsvText(res, `indicateurs-${s.deps.config.hubId}-${filter.from ?? 'debut'}-${filter.to ?? 'fin'}.csv`, indicatorsCsv(report, s.deps.config.hubId));
    },
  },
  {
    // Issue 16: participation by channel (web, kiosk, SMS, paper), by sex and age band.
    method: 'GET',
    path: '/admin/indicators-canaux.csv',
    roles: STAFF,
    async handle(s, req, res) {
      const filter = filterOf(req);
      sendCsvText(
        res,
        `canaux-${s.deps.config.hubId}-${filter.from ?? 'debut'}-${filter.to ?? 'fin'}.csv`,
        channelsCsv(await s.figures.channels(filter), filter, s.deps.config.hubId)
      );
    },
  },
  {
    method: 'GET',
    path: '/admin/indicators/propositions.csv',
    roles: STAFF,
    async handle(s, req, res) {
      const filter = filterOf(req);
      const figures = await s.figures.proposals(filter);
      sendCsvText(
        res,
        `propositions-${s.deps.config.hubId}-${filter.from ?? 'debut'}-${filter.to ?? 'fin'}.csv`,
        proposalFiguresCsv([{ scope: s.deps.config.hubId, figures }])
      );
    },
  },
  {
    method: 'GET',
    path: '/admin/report',
    roles: STAFF,
    async handle(s, req, res) {
      const session = sessionOf(res)!;
      const month = query(req, 'month') || thisMonth();
      const range = monthRange(month);
      const commune = filterOf(req).commune;
      const filter: IndicatorFilter = { ...range, ...(commune ? { commune } : {}) };
      // One read of the sources (HubFigures keeps them until the databases change) for every block.
      const [report, proposals, community, channels] = await Promise.all([
        s.figures.indicators(filter),
        s.figures.proposals(filter),
        s.deps.community.figures({ from: range.from, to: `${range.to}\uffff` }),
        s.figures.channels(filter),
      ]);
      const rows = report.rows.map((r) => ({ label: r.label, breakdown: r.breakdown }));
      const body = html`
<p class="meta">${s.deps.config.spaceName} (${s.deps.config.hubId}) · ${commune ? `commune de ${commune}` : 'toutes communes'} · du ${range.from} au ${range.to} · établi le ${when(new Date().toISOString())}</p>
${breakdownTable(`Indicateurs de ${monthName(month)}`, rows)}
<div class="charts report">
${sexChart(`Répartition par sexe, ${monthName(month)}`, rows)}
${youthChart(`Part des jeunes (15–35 ans), ${monthName(month)}`, rows)}
</div>
${proposalFiguresBlock(`Propositions citoyennes et plans, ${monthName(month)}`, proposals)}
${communityFiguresBlock(`Communauté SaheLink, ${monthName(month)}`, community)}
${channelTables(channels, `Participations par canal, ${monthName(month)}`)}
<p class="notes">${report.attendances} présence(s) aux formations. « Inconnu » : sexe ou âge non déclaré (cours terminés et visites sont anonymes). Jeunes : 15–35 ans.</p>
<p class="sign">Visa de l’animateur·rice : ____________________</p>
<p class="no-print"><a href="/admin/indicators?${qs(filter)}">Voir le détail</a> · imprimer avec Ctrl+P</p>`;
      return { page: page({ title: `Rapport mensuel — ${monthName(month)}`, session, spaceName: s.deps.config.spaceName, body }) };
    },
  },
];
