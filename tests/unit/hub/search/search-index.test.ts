import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContentDoc } from '../../../../content/index.js';
import { SearchIndex } from '../../../../hub/search/index.js';

function doc(i: number, words: string): ContentDoc {
  return { _id: `document:d${i}`, type: 'document', audience: { all: true }, kind: 'fiche', title: { fr: `Fiche ${i}` }, summary: { fr: words } };
}

describe('search index', () => {
  // 400 docs that all speak of the commune; a few of the budget, fewer of the école.
  const docs = Array.from({ length: 400 }, (_, i) =>
    doc(i, `la commune ${i % 10 === 0 ? 'le budget communal' : 'le marché'} ${i % 50 === 0 ? 'et les écoles' : ''}`)
  );

  it('finds the same docs when a word present everywhere is dropped from the query', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    const ids = (q: string) =>
      index
        .search(q, { lang: 'fr', limit: 100 })
        .map((h) => h.id)
        .sort();
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
    assert.deepEqual(
      index.search('baobab commune', { lang: 'fr', limit: 10 }).map((h) => h.id),
      ['document:d999']
    );
  });
});

describe('search index: what is indexed and kept', () => {
  const base = { audience: { all: true } };
  const docs = [
    {
      ...base,
      _id: 'document:guide',
      type: 'document',
      kind: 'guide',
      title: { fr: 'Guide du budget communal', bm: 'Komini wari sɛbɛn' },
      summary: { fr: 'Les recettes et les dépenses de la mairie.' },
      body: { fr: `Le forage du quartier. ${'Texte sans importance. '.repeat(200)} baobab` },
    },
    {
      ...base,
      _id: 'organisation:reflek',
      type: 'organisation',
      name: 'Réseau des femmes leaders',
      acronym: 'REFLEK',
      kind: 'reseau',
      domains: ['droits-des-femmes'],
      description: { fr: 'Engagées pour la santé maternelle.' },
    },
    {
      ...base,
      _id: 'event:atelier',
      type: 'event',
      kind: 'atelier',
      title: { fr: 'Atelier de plaidoyer' },
      startsAt: '2027-01-15T09:00:00Z',
      place: 'Maison des jeunes',
      commune: 'kayes',
    },
    {
      ...base,
      _id: 'lesson:l1',
      type: 'lesson',
      course: 'course:c',
      order: 1,
      title: { fr: 'Leçon sur le budget' },
      blocks: [{ kind: 'text', body: { fr: 'Une leçon.' } }],
    },
    { ...base, _id: 'commune:kayes', type: 'commune', name: 'Kayes' },
  ] as unknown as ContentDoc[];
  const ids = (index: SearchIndex, q: string, extra: { type?: ContentDoc['type'] } = {}) =>
    index.search(q, { lang: 'fr', limit: 20, ...extra }).map((h) => h.id);

  it('finds docs by title, summary, name, acronym, tags and the opening of bodies, with typos and prefixes', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    assert.deepEqual(ids(index, 'budget').sort(), ['document:guide', 'lesson:l1'], 'title; communes are not searched');
    assert.deepEqual(ids(index, 'DEPENSES'), ['document:guide'], 'summary, accents, plural');
    assert.deepEqual(ids(index, 'forage'), ['document:guide'], 'the opening of the body');
    assert.deepEqual(ids(index, 'reflek'), ['organisation:reflek'], 'acronym');
    assert.deepEqual(ids(index, 'maternelle'), ['organisation:reflek'], 'description');
    assert.deepEqual(ids(index, 'droits femmes'), ['organisation:reflek'], 'tags and name');
    assert.deepEqual(ids(index, 'plaidoye'), ['event:atelier'], 'prefix');
    assert.deepEqual(ids(index, 'plaidoyr'), ['event:atelier'], 'a typo');
    assert.deepEqual(ids(index, 'maternele santé'), ['organisation:reflek'], 'a typo next to a known word');
    assert.deepEqual(ids(index, 'budget', { type: 'lesson' }), ['lesson:l1'], 'type filter');
  });

  it('indexes only the opening of a long body', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    assert.deepEqual(ids(index, 'baobab'), [], 'a word thousands of characters deep is not a word the doc is about');
  });

  it('answers titles in the visitor language, with French when missing', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    assert.equal(index.search('budget communal', { lang: 'bm', limit: 5 })[0]!.title, 'Komini wari sɛbɛn');
    assert.equal(index.search('budget communal', { lang: 'snk', limit: 5 })[0]!.title, 'Guide du budget communal');
    assert.deepEqual(
      index.search('reflek', { lang: 'fr', limit: 5 }).map((h) => [h.type, h.title]),
      [['organisation', 'Réseau des femmes leaders (REFLEK)']]
    );
  });

  it('stays consistent when docs are changed, removed and added', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    index.upsert({ ...docs[0]!, title: { fr: 'Guide des marchés' }, summary: { fr: 'Les taxes du marché.' } } as ContentDoc);
    assert.deepEqual(ids(index, 'budget'), ['lesson:l1'], 'old words no longer find the changed doc');
    assert.deepEqual(ids(index, 'taxes'), ['document:guide']);
    assert.equal(index.search('marche', { lang: 'fr', limit: 5 })[0]!.title, 'Guide des marchés');
    index.remove('organisation:reflek');
    assert.deepEqual(ids(index, 'reflek'), []);
    assert.equal(index.size, docs.length - 2);
    index.upsert({
      ...base,
      _id: 'announcement:a',
      type: 'announcement',
      title: { fr: 'Réunion' },
      body: { fr: 'Le conseil se réunit.' },
      publishedAt: '2026-11-01T08:00:00Z',
    } as unknown as ContentDoc);
    assert.deepEqual(ids(index, 'reunion'), ['announcement:a']);
    index.upsert(docs[4]!);
    assert.equal(index.size, docs.length - 1, 'a commune is still not indexed');
  });

  it('answers a query of common words from titles when they fill the page, from everything when not', async () => {
    const many = Array.from({ length: 300 }, (_, i) => doc(i, i % 2 ? 'le conseil de la commune' : 'la commune'));
    many.push({ ...doc(1000, 'un mot'), title: { fr: 'La commune de Kayes' } } as ContentDoc);
    const index = new SearchIndex();
    await index.build(async () => many);
    assert.deepEqual(
      index.search('commune', { lang: 'fr', limit: 1 }).map((h) => h.id),
      ['document:d1000'],
      'the one title holding the word'
    );
    assert.equal(index.search('commune', { lang: 'fr', limit: 50 }).length, 50, 'not enough titles: the summaries too');
    assert.equal(index.search('commune conseil', { lang: 'fr', limit: 100 }).length, 100);
  });

  it('finds either of two known words that no doc holds together', async () => {
    const index = new SearchIndex();
    await index.build(async () => docs);
    assert.deepEqual(ids(index, 'forage plaidoyer').sort(), ['document:guide', 'event:atelier']);
  });

  it('lets the event loop run while it builds', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => doc(i, `la commune ${i} et son marché du lundi, le budget, les écoles et la santé`));
    const index = new SearchIndex();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    await index.build(
      (async function* () {
        yield many;
      })()
    );
    clearInterval(timer);
    assert.equal(index.size, 3000);
    assert.ok(ticks > 0, 'timers fired during the build');
  });
});

describe('search index: many changes', () => {
  it('answers the same after most docs are removed, changed and added again (removed docs are swept)', async () => {
    const words = ['mil', 'sorgho', 'riz', 'fonio', 'arachide'];
    const make = (i: number, gen: number) => doc(i, `${words[i % 5]} récolte${gen} parcelle${i}`);
    const index = new SearchIndex();
    await index.build(async () => Array.from({ length: 600 }, (_, i) => make(i, 1)));
    // 400 removed (past the sweep's threshold), 100 changed, 150 new.
    for (let i = 0; i < 400; i += 1) index.remove(`document:d${i}`);
    for (let i = 400; i < 500; i += 1) index.upsert(make(i, 2));
    for (let i = 600; i < 750; i += 1) index.upsert(make(i, 2));
    const ids = (q: string) =>
      index
        .search(q, { lang: 'fr', limit: 100 })
        .map((h) => h.id)
        .sort();
    const expected = (from: number, to: number, keep: (i: number) => boolean = () => true) =>
      Array.from({ length: to - from }, (_, k) => from + k)
        .filter(keep)
        .map((i) => `document:d${i}`)
        .sort();
    assert.equal(index.size, 350);
    assert.deepEqual(ids('parcelle42'), expected(420, 430), 'a removed doc is gone (d42), the docs its word starts remain');
    assert.deepEqual(ids('parcelle450'), ['document:d450']);
    assert.deepEqual(ids('recolte1'), expected(500, 600), 'changed docs lost their old words');
    assert.deepEqual(
      ids('fonio'),
      expected(400, 750, (i) => i % 5 === 3)
    );
    assert.deepEqual(ids('parcelle7'), expected(700, 750), 'prefixes over reused numbers');
  });
});

describe('search index: numbers given out again', () => {
  it('never gives two docs one number, however many sweeps run before the numbers are used', async () => {
    const index = new SearchIndex();
    const make = (i: number) => doc(i, `mot${i}`);
    await index.build(async () => Array.from({ length: 1000 }, (_, i) => make(i)));
    // Two waves of removals, each past the sweep's threshold, before anything is added.
    for (let i = 0; i < 300; i += 1) index.remove(`document:d${i}`);
    for (let i = 300; i < 700; i += 1) index.remove(`document:d${i}`);
    for (let i = 1000; i < 1700; i += 1) index.upsert(make(i));
    assert.equal(index.size, 1000);
    for (const i of [700, 999, 1000, 1350, 1699])
      assert.deepEqual(
        index.search(`mot${i}`, { lang: 'fr', limit: 5 }).map((h) => h.id),
        [`document:d${i}`]
      );
  });
});

describe('search index: changes during a rebuild', () => {
  it('keeps a change or removal that arrives while the rebuild reads its pages', async () => {
    const index = new SearchIndex();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = [doc(1, 'le mil de Nioro'), doc(2, 'le sorgho de Kayes')];
    const built = index.build(
      (async function* () {
        yield first;
        await gate;
        yield [doc(3, 'le riz de Diéma')];
      })()
    );
    // The first page is read (old versions); then sync changes d1 and removes d2.
    await new Promise((r) => setImmediate(r));
    index.upsert(doc(1, 'le fonio de Nioro'));
    index.remove('document:d2');
    release();
    await built;
    const ids = (q: string) => index.search(q, { lang: 'fr', limit: 5 }).map((h) => h.id);
    assert.deepEqual(ids('fonio'), ['document:d1']);
    assert.deepEqual(ids('mil'), []);
    assert.deepEqual(ids('sorgho'), []);
    assert.deepEqual(ids('riz'), ['document:d3']);
    assert.equal(index.size, 2);
  });
});
