import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jurorScore, rankApplications } from '../../../../provisioning/central/grants/index.js';

const CALL = {
  budget: 1_000_000,
  maxPerGrant: 500_000,
  criteria: [
    { id: 'impact', label: { fr: 'Impact' }, max: 20, weight: 2 },
    { id: 'faisabilite', label: { fr: 'Faisabilité' }, max: 10, weight: 1 },
  ],
};
const app = (id: string, total: number, createdAt = '2027-01-01T00:00:00Z') => ({
  _id: `kayes-01:application:${id}`,
  organisation: `Org ${id}`,
  kind: 'femmes' as const,
  commune: 'kayes',
  hubId: 'kayes-01',
  total,
  createdAt,
});
const score = (application: string, juror: string, impact: number, faisabilite: number) => ({
  application: `kayes-01:application:${application}`,
  juror,
  conflict: false,
  scores: { impact, faisabilite },
});

describe('the jury’s scoring and ranking', () => {
  it('weights each criterion by its weight, on its maximum, out of 100', () => {
    assert.equal(jurorScore(CALL.criteria, { impact: 20, faisabilite: 10 }), 100);
    assert.equal(jurorScore(CALL.criteria, { impact: 0, faisabilite: 10 }), (1 / 3) * 100);
    assert.equal(jurorScore(CALL.criteria, { impact: 10, faisabilite: 0 }), (1 / 3) * 100);
    // Incomplete or out of the grid: not a score.
    assert.equal(jurorScore(CALL.criteria, { impact: 10 }), null);
    assert.equal(jurorScore(CALL.criteria, { impact: 21, faisabilite: 0 }), null);
    assert.equal(jurorScore(CALL.criteria, { impact: -1, faisabilite: 0 }), null);
  });

  it('averages the non-conflicted jurors only, ranks, and funds within the budget', () => {
    const apps = [app('aaaaaa', 400_000), app('bbbbbb', 500_000), app('cccccc', 300_000), app('dddddd', 200_000)];
    const assessments = [
      score('aaaaaa', 'j1', 20, 10), // 100
      score('aaaaaa', 'j2', 10, 5), // 50 → 75
      // A conflicted juror's would-be scores never count (and central refuses to store them).
      { application: 'kayes-01:application:aaaaaa', juror: 'j3', conflict: true, scores: { impact: 0, faisabilite: 0 } },
      score('bbbbbb', 'j1', 20, 10),
      score('bbbbbb', 'j2', 20, 10),
      score('bbbbbb', 'j3', 20, 10), // 100
      score('cccccc', 'j1', 10, 5), // 50
      // dddddd: nobody scored it
    ];
    const { ranking, fundedTotal } = rankApplications(CALL, apps, assessments);
    assert.deepEqual(
      ranking.map((r) => [r.organisation, r.rank, r.score, r.jurors, r.funded, r.amount]),
      [
        ['Org bbbbbb', 1, 100, 3, true, 500_000],
        ['Org aaaaaa', 2, 75, 2, true, 400_000],
        // 300 000 no longer fits in the 100 000 left
        ['Org cccccc', 3, 50, 1, false, 0],
        // never scored: ranked last, never funded
        ['Org dddddd', 4, 0, 0, false, 0],
      ]
    );
    assert.equal(fundedTotal, 900_000);
  });

  it('funds a smaller request further down when a larger one does not fit, and breaks ties by the earlier application', () => {
    const apps = [
      app('aaaaaa', 500_000, '2027-01-02T00:00:00Z'),
      app('bbbbbb', 500_000, '2027-01-01T00:00:00Z'),
      app('cccccc', 600_000),
      app('dddddd', 100_000),
    ];
    const assessments = [score('aaaaaa', 'j1', 20, 10), score('bbbbbb', 'j1', 20, 10), score('cccccc', 'j1', 10, 10), score('dddddd', 'j1', 0, 1)];
    const { ranking, fundedTotal } = rankApplications({ ...CALL, budget: 1_100_000, maxPerGrant: 600_000 }, apps, assessments);
    assert.deepEqual(
      ranking.map((r) => [r.organisation, r.funded, r.amount]),
      [
        ['Org bbbbbb', true, 500_000],
        ['Org aaaaaa', true, 500_000],
        ['Org cccccc', false, 0],
        ['Org dddddd', true, 100_000],
      ]
    );
    assert.equal(fundedTotal, 1_100_000);
  });
});
