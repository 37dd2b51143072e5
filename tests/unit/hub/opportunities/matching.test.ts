import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TRADE_SLUGS, type TradeSlug } from '../../../../content/index.js';
import { MatchIndex, matches, type Candidate } from '../../../../hub/opportunities/index.js';

const COMMUNES = ['kayes', 'bafoulabe', 'kenieba'];
const person = fc.record({
  trades: fc.uniqueArray(fc.constantFrom(...TRADE_SLUGS), { maxLength: 3 }),
  commune: fc.option(fc.constantFrom(...COMMUNES), { nil: undefined }),
  sex: fc.constantFrom('F', 'M', undefined),
  ageBand: fc.constantFrom('15-24', '25-35', '36-59', '60+', undefined),
});
const opportunity = fc.record({
  trades: fc.uniqueArray(fc.constantFrom(...TRADE_SLUGS), { maxLength: 3 }),
  communes: fc.uniqueArray(fc.constantFrom(...COMMUNES), { maxLength: 2 }),
  for: fc.uniqueArray(fc.constantFrom('femmes' as const, 'jeunes' as const), { maxLength: 2 }),
});

describe('matching opportunities to members', () => {
  it('matches by trade and commune, and by who may apply', () => {
    const awa: Candidate = { trades: ['textile-teinture'], commune: 'kayes', sex: 'F', ageBand: '25-35' };
    const moussa: Candidate = { trades: ['metal-forge', 'bois'], commune: 'bafoulabe', sex: 'M', ageBand: '36-59' };
    const teinture = { trades: ['textile-teinture'] as TradeSlug[], communes: ['kayes'], for: [] };
    assert.equal(matches(teinture, awa), true);
    assert.equal(matches(teinture, moussa), false);
    assert.equal(matches({ trades: ['bois'], communes: [], for: [] }, moussa), true, 'no commune: every commune');
    assert.equal(matches({ trades: [], communes: ['bafoulabe'], for: [] }, moussa), true, 'no trade: every trade');
    assert.equal(matches({ trades: [], communes: ['kayes'], for: [] }, moussa), false);
    assert.equal(matches({ trades: [], communes: [], for: ['femmes'] }, moussa), false);
    assert.equal(matches({ trades: [], communes: [], for: ['femmes', 'jeunes'] }, awa), true, 'women or young people');
    assert.equal(matches({ trades: [], communes: [], for: ['jeunes'] }, moussa), false);
  });

  it('finds with the index exactly whom a scan of everyone finds', () => {
    fc.assert(
      fc.property(fc.array(person, { maxLength: 60 }), fc.array(opportunity, { maxLength: 10 }), (people, opps) => {
        const index = new MatchIndex(people);
        for (const o of opps) {
          const expected = new Set(people.filter((p) => matches(o, p)));
          const got = index.match(o);
          assert.equal(got.length, expected.size, 'each person once');
          for (const p of got) assert.ok(expected.has(p));
        }
      })
    );
  });
});
