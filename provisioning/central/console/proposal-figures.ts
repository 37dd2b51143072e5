import { contentsOf } from '../../../content/index.js';
import { proposalFigures, readAll, type AllDocsReader, type IndicatorFilter, type ProposalFigures } from '../../../hub/index.js';

type Doc = Record<string, unknown>;

/**
 * The proposals' and plans' figures across hubs (issue 15): every hub's proposals, supports and
 * sheets from the merged `submissions`, their fate (threshold, answer, also given at central)
 * from the published `proposal:` docs, the plans from `content`. All hubs first, then each hub.
 */
export async function centralProposalFigures(
  read: AllDocsReader,
  filter: IndicatorFilter,
  /** The merged submissions when the caller has read them already. */
  known?: readonly Doc[]
): Promise<{ scope: string; figures: ProposalFigures }[]> {
  const [submissions, published, plans] = await Promise.all([
    known ?? readAll(read, 'submissions'),
    readAll(read, 'content', 'proposal:'),
    readAll(read, 'content', 'plan:'),
  ]);
  const mine = submissions.filter((d) => d.type === 'proposal' || d.type === 'support' || d.type === 'papersupport');
  const outcomes = new Map(
    contentsOf(published, 'proposal').map((p) => [
      p.source,
      {
        commune: p.commune,
        ...(p.studyAt ? { studyAt: p.studyAt } : {}),
        ...(p.answer ? { answer: { decision: p.answer.decision, at: p.answer.at } } : {}),
      },
    ])
  );
  const src = { outcomes, plans: contentsOf(plans, 'plan') };
  const hubs = [...new Set(mine.map((d) => String(d.hubId)))].sort();
  return [
    { scope: 'central', figures: proposalFigures({ ...src, submissions: mine }, filter) },
    ...hubs.map((hub) => ({ scope: hub, figures: proposalFigures({ ...src, submissions: mine.filter((d) => d.hubId === hub) }, filter) })),
  ];
}
