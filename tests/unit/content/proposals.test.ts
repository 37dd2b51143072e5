import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, paperSupportId, parseContentDoc, submissionSchemas, supportId } from '../../../content/index.js';

const action = {
  id: 'forages',
  title: { fr: 'Réhabiliter des forages' },
  responsible: 'Commission eau',
  budget: 1000,
  period: { start: '2027-01-01', end: '2027-06-30' },
  indicator: { label: { fr: 'Personnes servies' }, bySex: { F: 10, M: 8 }, byAge: { '15-24': 5 } },
};
const plan = (over: Record<string, unknown> = {}, act: Record<string, unknown> = {}) => ({
  _id: 'plan:test',
  type: 'plan',
  audience: { all: true },
  title: { fr: 'Plan' },
  scope: 'commune',
  communes: ['kayes'],
  period: { start: '2027-01-01', end: '2027-12-31' },
  priorities: [{ id: 'p', title: { fr: 'Eau' }, actions: [{ ...action, ...act }] }],
  ...over,
});

function refusal(doc: unknown): string {
  try {
    parseContentDoc(doc);
  } catch (e) {
    assert.ok(e instanceof AppError);
    return e.details;
  }
  assert.fail('the doc was accepted');
}

describe('proposals and plans: the shared rules', () => {
  it('accepts a plan, and refuses a negative budget, an end before the start, a commune plan of two communes, a share over 100', () => {
    assert.equal(parseContentDoc(plan()).type, 'plan');
    assert.match(refusal(plan({}, { budget: -1 })), /budget: a budget cannot be negative/);
    assert.match(refusal(plan({}, { period: { start: '2027-05-01', end: '2027-02-01' } })), /period\.end: the period ends before it starts/);
    assert.match(refusal(plan({ period: { start: '2028-01-01', end: '2027-01-01' } })), /period\.end: the period ends before it starts/);
    assert.match(refusal(plan({ communes: ['kayes', 'nioro'] })), /communes: a commune plan names one commune/);
    assert.match(refusal(plan({}, { progress: [{ at: '2027-02-01', status: 'en-cours', done: 120 }] })), /the share done is between 0 and 100/);
    assert.match(refusal(plan({}, { period: { start: '2026-01-01', end: '2027-02-01' } })), /within the plan's period/);
  });

  it('refuses a proposal with a negative cost or an empty title, and one with neither text nor voice', () => {
    const p = {
      _id: 'kayes-01:proposal:abcdef123456',
      type: 'proposal',
      hubId: 'kayes-01',
      createdAt: '2026-12-01T10:00:00Z',
      title: 'Lampadaires',
      text: 'Au marché',
      lang: 'fr',
      commune: 'kayes',
      theme: 'infrastructures',
      beneficiaries: ['femmes'],
      cost: 1000,
      author: { hub: 'kayes-01', code: 'KX7-M4P', name: 'Awa' },
      sex: 'F',
      ageBand: '15-24',
    };
    assert.ok(submissionSchemas.proposal.safeParse(p).success);
    const cost = submissionSchemas.proposal.safeParse({ ...p, cost: -5 });
    assert.match(cost.error!.issues[0]!.message, /cannot be negative/);
    assert.equal(submissionSchemas.proposal.safeParse({ ...p, title: '' }).success, false);
    assert.equal(submissionSchemas.proposal.safeParse({ ...p, text: undefined }).success, false);
  });

  it('gives one support id per member and proposal, and one paper id per sheet', () => {
    const id = supportId('kayes-01', 'nioro-01:proposal:abcdef123456', 'KX7-M4P');
    assert.equal(id, 'kayes-01:support:nioro-01.proposal.abcdef123456.kx7m4p');
    assert.equal(supportId('kayes-01', 'nioro-01:proposal:abcdef123456', 'kx7m4p'.toUpperCase().replace(/(...)(...)/, '$1-$2')), id);
    const doc = {
      _id: id,
      type: 'support',
      hubId: 'kayes-01',
      createdAt: '2026-12-01T10:00:00Z',
      proposal: 'nioro-01:proposal:abcdef123456',
      member: 'KX7-M4P',
      sex: 'F',
      ageBand: '15-24',
    };
    assert.ok(submissionSchemas.support.safeParse(doc).success);
    assert.equal(paperSupportId('kayes-01', 'nioro-01:proposal:abcdef123456', 'feuille-2'), 'kayes-01:papersupport:nioro-01.proposal.abcdef123456.feuille-2');
  });
});
