import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContentDoc } from '../../../../content/index.js';
import { SearchIndex } from '../../../../hub/search/index.js';

function doc(i: number, words: string): ContentDoc {
  return { _id: `document:d${i}`, type: 'document', audience: { all: true }, kind: 'fiche', title: { fr: `Fiche ${i}` }, summary: { fr: words } } as ContentDoc;
}

describe('search index', () => {
  // 400 docs that all speak of the commune; a few of the budget, fewer of the école.
  const docs = Array.from({ length: 400 }, (_, i) => doc(i, `la commune ${i % 10 === 0 ? 'le budget communal' : 'le marché'} ${i % 50 === 0 ? 'et les écoles' : ''}`));

  it('finds the same docs when a word present everywhere is dropped from the query', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    const ids = (q: string) => index.search(q, { lang: 'fr', limit: 100 }).map((h) => h.id).sort();
    const budget = ids('budget');
    assert.equal(budget.length, 40);
    assert.deepEqual(ids('commune budget'), budget, 'the common word narrows nothing');
    assert.deepEqual(ids('Écoles BUDGET'), ids('ecole budget'));
    assert.equal(ids('ecoles budget').length, 8);
    assert.equal(ids('commune').length, 100, 'a common word alone is still searched (up to the limit)');
    assert.ok(ids('budjet').length > 0, 'typos are forgiven');
  });

  it('keeps answers current when a doc is added', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    assert.equal(index.search('baobab', { lang: 'fr', limit: 10 }).length, 0);
    index.upsert(doc(999, 'le grand baobab de la commune'));
    assert.deepEqual(index.search('baobab commune', { lang: 'fr', limit: 10 }).map((h) => h.id), ['document:d999']);
  });
});
