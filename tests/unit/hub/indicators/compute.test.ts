import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeIndicators, monthRange, tallyConsultation, type Breakdown, type IndicatorReport } from '../../../../hub/indicators/index.js';
import { fixtureSources } from './fixture.js';

const row = (r: IndicatorReport, key: string): Breakdown => r.rows.find((x) => x.key === key)!.breakdown;
const pick = (b: Breakdown) => ({ total: b.total, bySex: b.bySex, women: b.womenShare, youth: b.youthShare });
const ages = (b: Breakdown) => Object.fromEntries(Object.entries(b.byAge).filter(([, n]) => n > 0));

describe('indicators computed from a known fixture', () => {
  it('November, every commune: hand-computed figures', () => {
    const r = computeIndicators(fixtureSources(), monthRange('2026-11'));
    assert.deepEqual(pick(row(r, 'registered')), { total: 3, bySex: { F: 2, M: 1, unknown: 0 }, women: 2 / 3, youth: 2 / 3 });
    assert.deepEqual(ages(row(r, 'registered')), { '15-24': 1, '25-35': 1, '36-59': 1 });
    // r1 trained twice counts once; the member whose registration is gone is counted as unknown.
    assert.deepEqual(pick(row(r, 'trained')), { total: 4, bySex: { F: 2, M: 1, unknown: 1 }, women: 0.5, youth: 0.5 });
    assert.deepEqual(ages(row(r, 'trained')), { '0-14': 1, '15-24': 2, unknown: 1 });
    assert.equal(row(r, 'trained').bySexAge.F['15-24'], 1);
    assert.equal(row(r, 'trained').bySexAge.unknown.unknown, 1);
    assert.equal(r.attendances, 5);
    assert.deepEqual(pick(row(r, 'consulted')), { total: 4, bySex: { F: 1, M: 1, unknown: 2 }, women: 0.25, youth: 0.5 });
    assert.deepEqual(pick(row(r, 'completed')), { total: 2, bySex: { F: 0, M: 0, unknown: 2 }, women: 0, youth: 0 });
    assert.deepEqual(pick(row(r, 'messages')), { total: 2, bySex: { F: 1, M: 0, unknown: 1 }, women: 0.5, youth: 0.5 });
    assert.deepEqual(pick(row(r, 'visits')), { total: 22, bySex: { F: 0, M: 0, unknown: 22 }, women: 0, youth: 0 });
    assert.deepEqual(ages(row(r, 'visits')), { unknown: 22 });
  });

  it('November in the commune of Kayes: event, consultation and hub communes decide where things happened', () => {
    const r = computeIndicators(fixtureSources(), { ...monthRange('2026-11'), commune: 'kayes' });
    assert.equal(row(r, 'registered').total, 2);
    assert.deepEqual(pick(row(r, 'trained')), { total: 3, bySex: { F: 1, M: 1, unknown: 1 }, women: 1 / 3, youth: 2 / 3 });
    assert.equal(r.attendances, 3);
    // v1 gave kayes, v2 and v4 gave nothing and fall back on the consultation's commune; v3 is Nioro.
    assert.equal(row(r, 'consulted').total, 3);
    assert.equal(row(r, 'completed').total, 2);
    assert.equal(row(r, 'messages').total, 2);
    assert.equal(row(r, 'visits').total, 15);
  });

  it('an empty period gives zeros and no share, never a division by zero', () => {
    const r = computeIndicators(fixtureSources(), monthRange('2027-01'));
    for (const x of r.rows) {
      assert.equal(x.breakdown.total, 0, x.key);
      assert.equal(x.breakdown.womenShare, null);
      assert.equal(x.breakdown.youthShare, null);
    }
    assert.equal(r.attendances, 0);
  });

  it('period bounds are inclusive days', () => {
    const r = computeIndicators(fixtureSources(), { from: '2026-10-20', to: '2026-10-31' });
    assert.deepEqual(pick(row(r, 'registered')), { total: 1, bySex: { F: 1, M: 0, unknown: 0 }, women: 1, youth: 0 });
    assert.equal(row(r, 'visits').total, 100);
    assert.equal(computeIndicators(fixtureSources(), { from: '2026-11-01', to: '2026-11-01' }).rows.find((x) => x.key === 'visits')!.breakdown.total, 17);
  });

  it('with no filter counts everything that is not deleted', () => {
    const r = computeIndicators(fixtureSources());
    assert.equal(row(r, 'registered').total, 4);
    assert.equal(row(r, 'visits').total, 122);
  });

  it('tallies a consultation by option, sex, age band and commune', () => {
    const t = tallyConsultation('consultation:c1', ['eau', 'ecole'], fixtureSources().submissions);
    assert.equal(t.total.total, 3, 'the vote for an option no longer offered is not counted');
    const eau = t.options.find((o) => o.id === 'eau')!.breakdown;
    assert.deepEqual(eau.bySex, { F: 1, M: 1, unknown: 0 });
    assert.deepEqual(t.byCommune, { kayes: 1, unknown: 1, nioro: 1 });
    assert.deepEqual(t.optionByCommune.ecole, { unknown: 1 });
  });

  it('refuses a malformed month', () => {
    assert.throws(() => monthRange('2026-13'), /month must look like/);
  });
});
