import type { Application, Assessment, Call, RankedApplication } from '../../../content/index.js';

/** A criterion's weight: 1 when the call's doc (as JSON, before zod's default) does not say. */
export const weightOf = (c: { weight?: number }): number => c.weight ?? 1;

/** One juror's score of an application out of 100: each criterion's points over its maximum, weighted. */
export function jurorScore(criteria: readonly { id: string; max: number; weight?: number }[], scores: Record<string, number>): number | null {
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    const points = scores[c.id];
    if (points === undefined || !Number.isFinite(points) || points < 0 || points > c.max) return null;
    const weight = weightOf(c);
    sum += weight * (points / c.max);
    weights += weight;
  }
  return weights > 0 ? (sum / weights) * 100 : null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The results of a call: each application's score (the average of the non-conflicted jurors'
 * complete scores, each weighted by the grid), ranked best first (ties: the earlier application
 * first), then funded in that order while its request fits in what is left of the budget (an
 * application nobody could score is ranked but never funded). Pure: the same inputs give the
 * same results wherever it runs.
 */
export function rankApplications(
  call: Pick<Call, 'budget' | 'maxPerGrant'> & { criteria: readonly { id: string; max: number; weight?: number }[] },
  applications: readonly Pick<Application, '_id' | 'organisation' | 'kind' | 'commune' | 'hubId' | 'total' | 'createdAt'>[],
  assessments: readonly Pick<Assessment, 'application' | 'juror' | 'conflict' | 'scores'>[]
): { ranking: RankedApplication[]; fundedTotal: number } {
  const byApp = new Map<string, number[]>();
  for (const a of assessments) {
    if (a.conflict || !a.scores) continue;
    const s = jurorScore(call.criteria, a.scores);
    if (s === null) continue;
    const list = byApp.get(a.application) ?? [];
    list.push(s);
    byApp.set(a.application, list);
  }
  const scored = applications.map((app) => {
    const s = byApp.get(app._id) ?? [];
    return { app, jurors: s.length, score: s.length ? round2(s.reduce((x, y) => x + y, 0) / s.length) : 0 };
  });
  scored.sort((x, y) => y.score - x.score || x.app.createdAt.localeCompare(y.app.createdAt) || x.app._id.localeCompare(y.app._id));
  let left = call.budget;
  let fundedTotal = 0;
  const ranking = scored.map(({ app, jurors, score }, i): RankedApplication => {
    const requested = Math.min(app.total, call.maxPerGrant);
    const funded = jurors > 0 && requested > 0 && requested <= left;
    if (funded) {
      left -= requested;
      fundedTotal += requested;
    }
    return {
      application: app._id,
      rank: i + 1,
      organisation: app.organisation,
      kind: app.kind,
      commune: app.commune,
      hub: app.hubId,
      score,
      jurors,
      requested: app.total,
      amount: funded ? requested : 0,
      funded,
    };
  });
  return { ranking, fundedTotal };
}
