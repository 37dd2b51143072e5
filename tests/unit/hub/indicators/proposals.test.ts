import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Plan } from '../../../../content/index.js';
import { proposalFigures, proposalFiguresCsv } from '../../../../hub/indicators/index.js';
import { readProgress } from '../../../../hub/admin/index.js';

const p = (n: number, hub: string, commune: string, extra: Record<string, unknown> = {}) => ({
  _id: `${hub}:proposal:00000000000${n}`,
  type: 'proposal',
  hubId: hub,
  createdAt: `2027-01-0${n}T10:00:00Z`,
  commune,
  theme: n % 2 ? 'sante' : 'education',
  beneficiaries: n % 2 ? ['femmes'] : ['jeunes', 'femmes'],
  sex: n % 2 ? 'F' : 'M',
  ageBand: n % 2 ? '15-24' : '36-59',
  ...extra,
});
const support = (proposal: string, hub: string, member: string, day: string, sex = 'F') => ({
  _id: `${hub}:support:${proposal}.${member}`,
  type: 'support',
  hubId: hub,
  createdAt: `${day}T12:00:00Z`,
  proposal,
  member,
  sex,
  ageBand: '25-35',
});
const plan = {
  _id: 'plan:x',
  type: 'plan',
  communes: ['kayes'],
  priorities: [
    {
      actions: [
        {
          id: 'a',
          budget: 100,
          progress: [
            { at: '2027-01-01', status: 'en-cours', done: 10 },
            { at: '2027-03-01', status: 'fait', done: 100, spent: 90 },
          ],
        },
        { id: 'b', budget: 50 },
      ],
    },
  ],
} as unknown as Plan;

describe('proposalFigures', () => {
  const a1 = 'a-01:proposal:000000000001';
  const a2 = 'a-01:proposal:000000000002';
  const b3 = 'b-02:proposal:000000000003';
  const submissions = [
    p(1, 'a-01', 'kayes'),
    p(2, 'a-01', 'nioro'),
    p(3, 'b-02', 'kayes'),
    support(a1, 'a-01', 'm1', '2027-01-02'),
    support(a1, 'b-02', 'm2', '2027-01-03', 'M'),
    support(b3, 'a-01', 'm1', '2027-02-10'),
    { _id: 'a-01:papersupport:x.f1', type: 'papersupport', hubId: 'a-01', createdAt: '2027-01-05T00:00:00Z', proposal: a2, sheet: 'f1', count: 12 },
    { _id: 'a-01:registration:1', type: 'registration', hubId: 'a-01', createdAt: '2027-01-01T00:00:00Z' },
  ];
  const outcomes = new Map([
    [a1, { commune: 'kayes', studyAt: '2027-01-04T00:00:00Z', answer: { decision: 'retenue', at: '2027-01-11T10:00:00Z' } }],
    [a2, { commune: 'nioro', answer: { decision: 'rejetee', at: '2027-01-04T10:00:00Z' } }],
  ]);

  it('counts proposals by who proposed, commune, theme and beneficiaries; supports online and on paper by space; answers and their delay', () => {
    const f = proposalFigures({ submissions, outcomes, plans: [plan] });
    assert.equal(f.made.total, 3);
    assert.deepEqual([f.made.bySex.F, f.made.bySex.M], [2, 1]);
    assert.equal(f.made.byAge['15-24'], 2);
    assert.deepEqual(f.byCommune, { kayes: 2, nioro: 1 });
    assert.equal(f.byTheme.sante, 2);
    assert.deepEqual([f.forWomen, f.forYoung], [3, 1]);
    assert.equal(f.online.total, 3);
    assert.equal(f.online.bySex.M, 1);
    assert.equal(f.paper, 12);
    assert.deepEqual(f.byHub['a-01'], { proposals: 2, online: 2, paper: 12 });
    assert.deepEqual(f.byHub['b-02'], { proposals: 1, online: 1, paper: 0 });
    assert.equal(f.reachedThreshold, 1);
    assert.deepEqual(f.answered, { retenue: 1, rejetee: 1, 'deja-prevue': 0 });
    assert.deepEqual(f.daysToAnswer, { n: 2, median: 6, mean: 6 });
    assert.deepEqual(f.actions.byStatus, { 'a-venir': 0, 'en-cours': 0, fait: 1, 'en-retard': 0, abandonne: 0, 'sans-point': 1 });
    assert.equal(f.actions.meanDone, 50);
    assert.deepEqual([f.actions.budget, f.actions.spent], [150, 90]);
  });

  it("keeps to a period and a commune: supports follow their proposal's commune", () => {
    const f = proposalFigures({ submissions, outcomes, plans: [plan] }, { from: '2027-01-01', to: '2027-01-31', commune: 'kayes' });
    assert.equal(f.made.total, 2);
    assert.equal(f.online.total, 2, 'the February support is outside the period');
    assert.equal(f.paper, 0, 'the sheet is for a proposal of Nioro');
    assert.equal(proposalFigures({ submissions, outcomes, plans: [plan] }, { commune: 'nioro' }).actions.total, 0);
  });

  it('writes CSV for French Excel: BOM, ";" and one line per measure and category', () => {
    const csv = proposalFiguresCsv([{ scope: 'a-01', figures: proposalFigures({ submissions, outcomes, plans: [plan] }) }]);
    assert.ok(csv.startsWith('\ufeffmesure;catégorie;périmètre;'));
    const rows = parse<Record<string, string>>(csv, { bom: true, columns: true, delimiter: ';' });
    const v = (m: string, c: string) => rows.find((r) => r.mesure === m && r['catégorie'] === c)?.valeur;
    assert.equal(v('propositions faites', 'femmes'), '2');
    assert.equal(v('délai de réponse (jours)', 'médiane'), '6');
    assert.equal(v('soutiens sur papier', 'total'), '12');
  });
});

describe("readProgress (the officials' form)", () => {
  it('reads French numbers and says what is wrong beside each field, storing nothing', () => {
    const ok = readProgress(
      { at: '2027-03-31', status: 'en-cours', done: '12,5', spent: '2 500 000', achievedF: '30', 'achievedAge15-24': '12', note: 'Bien.' },
      'mairesse'
    );
    assert.deepEqual(ok.update, {
      at: '2027-03-31',
      status: 'en-cours',
      done: 12.5,
      spent: 2500000,
      achieved: { F: 30, byAge: { '15-24': 12 } },
      note: { fr: 'Bien.' },
      by: 'mairesse',
    });
    const bad = readProgress({ at: '31/03/2027', status: 'fini', done: '101', spent: '-3', achievedM: 'dix' }, 'mairesse');
    assert.equal(bad.update, undefined);
    assert.deepEqual(Object.keys(bad.errors).sort(), ['achievedM', 'at', 'done', 'spent', 'status']);
    assert.match(bad.errors.spent!, /jamais négatif/);
  });
});
