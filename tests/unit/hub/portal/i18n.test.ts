import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntlMessageFormat } from 'intl-messageformat';
import { EVENT_KINDS } from '../../../../content/index.js';
import { loadCatalogs, Messages } from '../../../../hub/portal/index.js';

const catalogs = loadCatalogs();
const messages = new Messages(catalogs);

/** The names of a message's arguments, plural ones apart (they take numbers). */
function argumentsOf(els: ReturnType<IntlMessageFormat['getAst']>, out = new Map<string, 'plural' | 'text'>()) {
  for (const el of els) {
    if ('value' in el && typeof el.value === 'string' && (el.type as number) !== 0)
      out.set(el.value, 'pluralType' in el ? 'plural' : (out.get(el.value) ?? 'text'));
    if ('options' in el) for (const o of Object.values(el.options)) argumentsOf(o.value, out);
    if ('children' in el) argumentsOf(el.children, out);
  }
  return out;
}

const ICU = { fr: 'fr-ML', bm: 'bm-ML', snk: 'fr-ML' } as const;

describe('portal message catalogs', () => {
  it("formats every message as Intl's own formatters do (plurals, numbers)", () => {
    const counts = [0, 1, 1.5, 2, 3, 10, 21, 999, 1000, 1234, 12_345.678, 1_000_000, 2_000_000, 2_500_000, 1e9];
    let plurals = 0;
    for (const lang of ['fr', 'bm', 'snk'] as const)
      for (const [key, msg] of Object.entries(catalogs[lang])) {
        const intl = new IntlMessageFormat(msg, ICU[lang]);
        const args = argumentsOf(intl.getAst());
        if ([...args.values()].includes('plural')) plurals++;
        for (const n of counts) {
          const values = Object.fromEntries([...args].map(([name, kind]) => [name, kind === 'plural' ? n : `«${name}»`]));
          assert.equal(messages.t(lang, key, values), String(intl.format(values)), `${lang} ${key} ${n}`);
        }
      }
    assert.ok(plurals >= 10, `${plurals} plural messages`);
  });

  it('formats messages without asking ICU for a locale (its data would stay resident)', () => {
    const asked: string[] = [];
    const supportedLocalesOf = Intl.NumberFormat.supportedLocalesOf.bind(Intl.NumberFormat);
    const { Locale } = Intl;
    const writable = Intl as { Locale: typeof Locale };
    Intl.NumberFormat.supportedLocalesOf = (...args) => (asked.push('supportedLocalesOf'), supportedLocalesOf(...args));
    writable.Locale = class extends Locale {
      constructor(...args: ConstructorParameters<typeof Locale>) {
        asked.push('Locale');
        super(...args);
      }
    };
    try {
      const fresh = new Messages(catalogs);
      for (const lang of ['fr', 'bm', 'snk'] as const)
        for (const [key, msg] of Object.entries(catalogs[lang])) {
          const args = argumentsOf(new IntlMessageFormat(msg, ICU[lang]).getAst());
          fresh.t(lang, key, Object.fromEntries([...args].map(([name, kind]) => [name, kind === 'plural' ? 2 : name])));
        }
    } finally {
      Intl.NumberFormat.supportedLocalesOf = supportedLocalesOf;
      writable.Locale = Locale;
    }
    assert.deepEqual(asked, []);
  });

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
