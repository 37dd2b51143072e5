import { AppError, contentsOf, submissionsOf } from '../../../../content/index.js';
import {
  breakdownTable,
  channelFigures,
  channelsCsv,
  channelTables,
  communityFigures,
  communityFiguresBlock,
  computeIndicators,
  grantFigures,
  grantFiguresBlock,
  html,
  indicatorsCsv,
  loadSources,
  parseDay,
  proposalFiguresBlock,
  proposalFiguresCsv,
  sendCsvText,
  sexChart,
  youthChart,
  type CommunityFigures,
  type IndicatorFilter,
  type IndicatorSources,
} from '../../../../hub/index.js';
import { calls as grantCalls } from '../../grants/index.js';
import { centralProposalFigures } from '../proposal-figures.js';
import { BASE } from '../layout.js';
import { readAllAs, readerAs } from '../reader.js';
import type { ConsoleContext, ConsolePage } from '../page-table.js';

const PATH = `${BASE}/chiffres`;

/** The period and commune asked for, checked; a wrong one is said in French. */
function filterOf(c: ConsoleContext): IndicatorFilter {
  const q = (k: string) => (typeof c.req.query[k] === 'string' ? c.req.query[k].trim() : '');
  let from: string | undefined;
  let to: string | undefined;
  try {
    from = parseDay(q('from'), 'from');
    to = parseDay(q('to'), 'to');
  } catch {
    throw new AppError(400, 'bad-day', 'Une date s’écrit jour/mois/année dans le calendrier (AAAA-MM-JJ).');
  }
  if (from && to && from > to) throw new AppError(400, 'bad-period', 'Le début de la période doit venir avant sa fin.');
  const commune = q('commune');
  if (commune && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(commune))
    throw new AppError(400, 'bad-commune', 'Une commune s’écrit comme son identifiant, par exemple « kayes ».');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(commune ? { commune } : {}) };
}

/** The merged submissions split by hub: what each block below counts, read once per request. */
interface Merged {
  sources: IndicatorSources;
  hubs: string[];
  ofHub(hub: string): IndicatorSources;
}

async function merged(c: ConsoleContext): Promise<Merged> {
  const sources = await loadSources(readerAs(c.central), new Map(), true);
  const all = [...sources.submissions];
  const hubs = [...new Set(all.map((d) => String(d.hubId)))].sort();
  return { sources, hubs, ofHub: (hub) => ({ ...sources, submissions: all.filter((d) => d.hubId === hub) }) };
}

/** The results framework's indicators, every hub and each hub. */
function indicatorsOf(m: Merged, filter: IndicatorFilter) {
  return {
    report: computeIndicators(m.sources, filter),
    perHub: m.hubs.map((hub) => ({ scope: hub, report: computeIndicators(m.ofHub(hub), filter) })),
  };
}

/** Participation by channel, every hub and each hub. */
function channelsOf(m: Merged, filter: IndicatorFilter) {
  return {
    channels: channelFigures(m.sources, filter),
    channelsPerHub: m.hubs.map((hub) => ({ scope: hub, rows: channelFigures(m.ofHub(hub), filter) })),
  };
}

/** Calls for local initiatives: applications and reports from the merged submissions, calls and results from content. */
async function grantsOf(c: ConsoleContext, m: Merged) {
  const all = [...m.sources.submissions];
  return grantFigures(await grantCalls(c.central), submissionsOf(all, 'application'), submissionsOf(all, 'grantreport'));
}

/**
 * SaheLink across the spaces (issue 14): posts, replies, questions and answers by sex and age
 * band and by space, from the merged submissions and the mentors' answers in `content`.
 */
async function community(c: ConsoleContext, sources: IndicatorSources, filter: IndicatorFilter): Promise<CommunityFigures> {
  const subs = [...sources.submissions];
  const answers = await readAllAs(c.central, 'content', 'answer:');
  return communityFigures(
    {
      posts: submissionsOf(subs, 'post'),
      questions: submissionsOf(subs, 'question'),
      answers: contentsOf(answers, 'answer'),
      resolved: new Set(submissionsOf(subs, 'resolved').map((d) => d.question)),
    },
    { from: filter.from ?? '', to: filter.to ? `${filter.to}\uffff` : '\uffff' }
  );
}

const qs = (f: IndicatorFilter) => new URLSearchParams(Object.entries(f) as [string, string][]).toString();

/**
 * Figures across hubs (issue 13): the results framework's indicators from central's merged
 * submissions, disaggregated by sex and age band, for every hub and each hub, with CSV for
 * French Excel. Analysts and admins: CouchDB lets no one else read the merged submissions.
 */
export const figuresPage: ConsolePage = {
  nav: { href: PATH, label: 'Chiffres', order: 10 },
  routes: [
    {
      method: 'GET',
      path: PATH,
      roles: ['analyst'],
      async handle(c) {
        const filter = filterOf(c);
        const m = await merged(c);
        const { report, perHub } = indicatorsOf(m, filter);
        const { channels } = channelsOf(m, filter);
        const [sahelink, grants] = await Promise.all([community(c, m.sources, filter), grantsOf(c, m)]);
        const rows = report.rows.map((r) => ({ label: r.label, breakdown: r.breakdown }));
        const period = `${filter.from ? `du ${filter.from}` : 'depuis le début'} ${filter.to ? `au ${filter.to}` : 'à aujourd’hui'}${filter.commune ? `, commune ${filter.commune}` : ', toutes communes'}`;
        const body = html`<form method="get" action="${PATH}" class="row filters">
<label for="from">Du</label><input id="from" name="from" type="date" value="${filter.from ?? ''}">
<label for="to">Au</label><input id="to" name="to" type="date" value="${filter.to ?? ''}">
<label for="commune">Commune</label><input id="commune" name="commune" value="${filter.commune ?? ''}" placeholder="toutes">
<button type="submit">Afficher</button></form>
<p><a href="${PATH}.csv?${qs(filter)}">Exporter (CSV, tous les hubs et chaque hub)</a> · <a href="${PATH}-canaux.csv?${qs(filter)}">Par canal (CSV)</a></p>
<p class="meta">Période : ${period}, ${perHub.length} hub(s). Les personnes dont le sexe ou l’âge n’est pas connu sont comptées dans « inconnu », jamais écartées. Jeunes : 15 à 35 ans.</p>
${breakdownTable('Tous les hubs : indicateurs par sexe et par tranche d’âge', rows)}
<div class="charts">${sexChart('Répartition par sexe', rows)}${youthChart('Part des jeunes (15–35 ans)', rows)}</div>
${communityFiguresBlock('Communauté SaheLink, tous les espaces', sahelink)}
${channelTables(channels, 'Tous les hubs : participations par canal (votes, inscriptions, intéressé·es), par sexe et tranche d’âge')}
${grantFiguresBlock('Appels à initiatives locales (tous les espaces)', grants)}
${perHub.map((h) =>
  breakdownTable(
    `Hub ${h.scope}`,
    h.report.rows.map((r) => ({ label: r.label, breakdown: r.breakdown }))
  )
)}
${proposalFiguresBlock('Propositions citoyennes et plans d’actions, tous les hubs', (await centralProposalFigures(readerAs(c.central), filter, [...m.sources.submissions]))[0]!.figures, `${PATH}/propositions.csv?${qs(filter)}`)}`;
        return { page: c.page('Chiffres de tous les espaces', body) };
      },
    },
    {
      method: 'GET',
      path: `${PATH}.csv`,
      roles: ['analyst'],
      async handle(c) {
        const filter = filterOf(c);
        const { report, perHub } = indicatorsOf(await merged(c), filter);
        sendCsvText(c.res, `indicateurs-central-${filter.from ?? 'debut'}-${filter.to ?? 'fin'}.csv`, indicatorsCsv(report, 'central', perHub));
      },
    },
    {
      // Issue 16: participation by channel (web, kiosk, SMS, paper), every hub and each hub.
      method: 'GET',
      path: `${PATH}-canaux.csv`,
      roles: ['analyst'],
      async handle(c) {
        const filter = filterOf(c);
        const { channels, channelsPerHub } = channelsOf(await merged(c), filter);
        sendCsvText(c.res, `canaux-central-${filter.from ?? 'debut'}-${filter.to ?? 'fin'}.csv`, channelsCsv(channels, filter, 'central', channelsPerHub));
      },
    },
    {
      method: 'GET',
      path: `${PATH}/propositions.csv`,
      roles: ['analyst'],
      async handle(c) {
        const filter = filterOf(c);
        sendCsvText(
          c.res,
          `propositions-central-${filter.from ?? 'debut'}-${filter.to ?? 'fin'}.csv`,
          proposalFiguresCsv(await centralProposalFigures(readerAs(c.central), filter))
        );
      },
    },
  ],
};
