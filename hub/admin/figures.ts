import type { HubDeps } from '../deps.js';
import {
  channelFigures,
  computeIndicators,
  loadSources,
  pouchReader,
  proposalFigures,
  type ChannelRow,
  type IndicatorFilter,
  type IndicatorReport,
  type IndicatorSources,
  type ProposalFigures,
  type ProposalSources,
} from '../indicators/index.js';

/**
 * This hub's figures for the console, from its own databases. Built once with the console's
 * services: it keeps the last sources read until the submissions or the content change
 * (reading is most of a page's time).
 */
export class HubFigures {
  private last: { key: string; sources: IndicatorSources } | undefined;
  /** The proposals' fates and the plans, kept while the proposals and the content stay as they were. */
  private proposalInputs: { key: string; inputs: Promise<Omit<ProposalSources, 'submissions'>> } | undefined;

  constructor(private readonly deps: Pick<HubDeps, 'dbs' | 'config' | 'digest' | 'proposals'>) {}

  private async sources(): Promise<IndicatorSources> {
    const { dbs, config } = this.deps;
    const [sub, content] = await Promise.all([dbs.submissions.info(), dbs.content.info()]);
    const key = `${sub.update_seq}|${content.update_seq}`;
    if (this.last?.key === key) return this.last.sources;
    const sources = await loadSources(pouchReader({ submissions: dbs.submissions, content: dbs.content }), new Map([[config.hubId, config.commune]]), false);
    this.last = { key, sources };
    return sources;
  }

  /** This hub's indicators for a period and commune. */
  async indicators(filter: IndicatorFilter): Promise<IndicatorReport> {
    return computeIndicators(await this.sources(), filter);
  }

  /** This hub's participation by channel (web, kiosk, SMS, paper) for a period and commune. */
  async channels(filter: IndicatorFilter): Promise<ChannelRow[]> {
    return channelFigures(await this.sources(), filter);
  }

  /** The communes a filter can choose: those in the content, and this hub's own. */
  async communes(): Promise<[string, string][]> {
    const communes = await this.deps.digest.of('commune');
    const map = new Map([...communes.byId.values()].filter((c) => c.kind.startsWith('commune')).map((c) => [c.id.slice('commune:'.length), c.name]));
    if (!map.has(this.deps.config.commune)) map.set(this.deps.config.commune, this.deps.config.commune);
    return [...map.entries()].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
  }

  /** The proposals' and plans' figures of this hub: its own proposals and supports, their fate as central published it (or this hub's fresher count). */
  async proposals(filter: IndicatorFilter): Promise<ProposalFigures> {
    const [sources, inputs] = await Promise.all([this.sources(), this.proposalOutcomes()]);
    return proposalFigures({ submissions: sources.submissions, ...inputs }, filter);
  }

  /**
   * Every proposal's fate and the plans, rebuilt only when the proposals (the service's
   * generation: a proposal, support, sheet or answer added here or from central) or the content
   * (plans) changed: a console page with filters asks several times for the same figures.
   */
  private async proposalOutcomes(): Promise<Omit<ProposalSources, 'submissions'>> {
    const { proposals, dbs } = this.deps;
    await proposals.ready();
    const key = `${proposals.generation}|${(await dbs.content.info()).update_seq}`;
    if (this.proposalInputs?.key !== key) {
      const inputs = Promise.all([proposals.list(), proposals.plans()]).then(([views, plans]) => ({
        outcomes: new Map(
          views.map((v) => [
            v.id,
            {
              commune: v.commune,
              ...(v.studyAt ? { studyAt: v.studyAt } : {}),
              ...(v.answer ? { answer: { decision: v.answer.decision, at: v.answer.at } } : {}),
            },
          ])
        ),
        plans,
      }));
      this.proposalInputs = { key, inputs };
      // A failed read is not kept: the next page reads again.
      inputs.catch(() => {
        if (this.proposalInputs?.inputs === inputs) this.proposalInputs = undefined;
      });
    }
    return this.proposalInputs.inputs;
  }
}
