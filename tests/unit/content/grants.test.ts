import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Assessment, Call } from '../../../content/index.js';

export const CALL = {
  _id: 'call:appel-test',
  type: 'call',
  audience: { all: true },
  title: { fr: 'Appel à initiatives des femmes et des jeunes' },
  text: { fr: 'Le programme finance de petites initiatives locales.' },
  budget: 1_000_000,
  maxPerGrant: 400_000,
  criteria: [
    { id: 'impact', label: { fr: 'Impact pour les femmes et les jeunes' }, max: 20, weight: 2 },
    { id: 'faisabilite', label: { fr: 'Faisabilité' }, max: 10 },
  ],
  eligible: ['femmes', 'jeunes'],
  communes: ['nioro', 'kayes'],
  opens: '2026-01-01',
  deadline: '2099-12-31',
  documents: [{ kind: 'statuts', label: { fr: 'Statuts ou récépissé' }, types: ['application/pdf', 'image/jpeg'], required: true }],
};

const problems = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('the call and assessment rules', () => {
  it('a good call passes', () => {
    assert.deepEqual(problems(Call.safeParse(CALL)), []);
  });
  it('refuses a deadline before the opening, a budget of 0, a grant over the budget, a criterion of no points or no weight', () => {
    assert.match(
      problems(Call.safeParse({ ...CALL, opens: '2027-03-01', deadline: '2027-02-01' })).join(),
      /deadline: the deadline must come after the opening date/
    );
    assert.match(problems(Call.safeParse({ ...CALL, budget: 0, maxPerGrant: 0 })).join(), /budget: the amount must be more than 0/);
    assert.match(problems(Call.safeParse({ ...CALL, maxPerGrant: 2_000_000 })).join(), /maxPerGrant: the maximum per grant cannot exceed the total budget/);
    assert.match(
      problems(Call.safeParse({ ...CALL, criteria: [{ id: 'x', label: { fr: 'X' }, max: 0 }] })).join(),
      /criteria.0.max: a criterion is worth at least 1 point/
    );
    assert.match(
      problems(Call.safeParse({ ...CALL, criteria: [{ id: 'x', label: { fr: 'X' }, max: 5, weight: 0 }] })).join(),
      /criteria.0.weight: a weight must be more than 0/
    );
    assert.match(
      problems(Call.safeParse({ ...CALL, documents: [{ kind: 'statuts', label: { fr: 'S' }, types: ['text/html'] }] })).join(),
      /documents.0.types.0/
    );
  });
  it('an assessment with a declared conflict carries no scores', () => {
    const base = {
      _id: 'assessment:kayes-01.application.0abc123.awa',
      type: 'assessment',
      call: 'call:appel-test',
      application: 'kayes-01:application:0abc123',
      juror: 'awa',
      at: '2027-01-01T00:00:00Z',
    };
    assert.deepEqual(problems(Assessment.safeParse({ ...base, conflict: false, scores: { impact: 3 } })), []);
    assert.match(
      problems(Assessment.safeParse({ ...base, conflict: true, scores: { impact: 3 } })).join(),
      /scores: a juror with a conflict of interest does not score/
    );
  });
});
