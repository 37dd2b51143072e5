import type { HubDeps } from '../deps.js';
import { digestFor } from '../portal/index.js';
import { channelFigures, computeIndicators, loadSources, pouchReader, proposalFigures, type ChannelRow, type IndicatorFilter, type IndicatorReport, type IndicatorSources, type ProposalFigures } from '../indicators/index.js';

/** The last sources read, kept until the submissions or the content change (reading is most of a page's time). */
const cache = new WeakMap<HubDeps, { key: string; sources: IndicatorSources }>();

async function sourcesOf(deps: HubDeps): Promise<IndicatorSources> {
  const { dbs, config } = deps;
  const [sub, content] = await Promise.all([dbs.submissions.info(), dbs.content.info()]);
  const key = `${sub.update_seq}|${content.update_seq}`;
  const hit = cache.get(deps);
  if (hit?.key === key) return hit.sources;
  const sources = await loadSources(pouchReader({ submissions: dbs.submissions, content: dbs.content }), new Map([[config.hubId, config.commune]]), false);
  cache.set(deps, { key, sources });
  return sources;
}

/** This hub's indicators for a period and commune, from its own databases. */
export async function hubIndicators(deps: HubDeps, filter: IndicatorFilter): Promise<IndicatorReport> {
  return computeIndicators(await sourcesOf(deps), filter);
}

/** This hub's participation by channel (web, kiosk, SMS, paper) for a period and commune. */
export async function hubChannelFigures(deps: HubDeps, filter: IndicatorFilter): Promise<ChannelRow[]> {
  return channelFigures(await sourcesOf(deps), filter);
}

/** The communes a filter can choose: those in the content, and this hub's own. */
export async function communeChoices(deps: HubDeps): Promise<[string, string][]> {
  const communes = await digestFor(deps).of('commune');
  const map = new Map([...communes.byId.values()].filter((c) => c.kind.startsWith('commune')).map((c) => [c.id.slice('commune:'.length), c.name]));
  if (!map.has(deps.config.commune)) map.set(deps.config.commune, deps.config.commune);
  return [...map.entries()].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
}

/** The proposals' and plans' figures of this hub: its own proposals and supports, their fate as central published it (or this hub's fresher count). */
export async function hubProposalFigures(deps: HubDeps, filter: IndicatorFilter): Promise<ProposalFigures> {
  const [sources, views, plans] = await Promise.all([sourcesOf(deps), deps.proposals.list(), deps.proposals.plans()]);
  const outcomes = new Map(views.map((v) => [v.id, { commune: v.commune, ...(v.studyAt ? { studyAt: v.studyAt } : {}), ...(v.answer ? { answer: { decision: v.answer.decision, at: v.answer.at } } : {}) }]));
  return proposalFigures({ submissions: sources.submissions, outcomes, plans }, filter);
}
