import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { EVENT_KINDS } from '../../../../content/index.js';
import { loadCatalogs, Messages } from '../../../../hub/portal/index.js';

const catalogs = loadCatalogs();
const messages = new Messages(catalogs);

describe('portal message catalogs', () => {
  it('has Bambara for every French interface string, and nothing French lacks', () => {
    const fr = Object.keys(catalogs.fr).sort();
    assert.deepEqual(Object.keys(catalogs.bm).sort(), fr);
    assert.equal(messages.coverage('bm'), 100);
    for (const key of Object.keys(catalogs.snk)) assert.ok(key in catalogs.fr, `snk has a key French lacks: ${key}`);
  });

  it('names every kind of event the schema allows (an unnamed kind broke the agenda)', () => {
    for (const kind of EVENT_KINDS) assert.ok(`eventKind.${kind}` in catalogs.fr, `eventKind.${kind}`);
  });

  it('parses every message as ICU MessageFormat', () => {
    for (const [lang, cat] of Object.entries(catalogs)) {
      for (const [key, msg] of Object.entries(cat)) assert.doesNotThrow(() => new IntlMessageFormat(msg, 'fr'), `${lang} ${key}`);
    }
  });

  it('writes Bambara in its standard orthography (ɛ ɔ ɲ ŋ, not è ò ny)', () => {
    const all = Object.values(catalogs.bm).join(' ');
    assert.match(all, /[ɛɔɲ]/);
    assert.doesNotMatch(all.replace(/Espace connecté|espace connecté/g, ''), /[èò]/);
  });

  it('formats plurals and falls back to French, saying so', () => {
    assert.equal(messages.t('fr', 'participate.votes', { count: 1 }), '1 vote');
    assert.equal(messages.t('fr', 'participate.votes', { count: 3 }), '3 votes');
    assert.equal(messages.t('bm', 'nav.learn'), 'Kalan');
    const fallback = messages.format('snk', 'nav.learn');
    assert.deepEqual(fallback, { text: 'Apprendre', fellBack: true });
  });

  it('reports Soninké coverage honestly: what is there, over what French has', () => {
    const expected = Math.floor((Object.keys(catalogs.snk).length / Object.keys(catalogs.fr).length) * 100);
    assert.equal(messages.coverage('snk'), expected);
    assert.ok(expected < 100);
  });
});
