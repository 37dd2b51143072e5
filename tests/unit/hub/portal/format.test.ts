import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatsFor, messageNumber, number, pluralOf, TIME_ZONE } from '../../../../hub/portal/format.js';

// The hand-written formats against Intl's, which the portal used before (issue 18, point 4):
// Intl appears here only, so that the hub never loads its ICU data for them.
const LOCALE = { fr: 'fr-ML', bm: 'bm-ML', snk: 'fr-ML' } as const;
const intlDate = (locale: string, opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...opts, timeZone: TIME_ZONE });

/** Dates every ~37 hours and 11 minutes from 1990 to 2045, plus month and day edges. */
function dates(): Date[] {
  const out: Date[] = [];
  for (let t = Date.UTC(1990, 0, 1); t < Date.UTC(2045, 0, 1); t += 37 * 3600_000 + 11 * 60_000 + 7_000) out.push(new Date(t));
  for (let m = 0; m < 12; m++) for (const h of [0, 23]) out.push(new Date(Date.UTC(2026, m, 1, h, 59)), new Date(Date.UTC(2026, m + 1, 0, h, 0)));
  out.push(new Date(Date.UTC(2024, 1, 29, 12, 0)));
  return out;
}

describe('portal formats', () => {
  for (const lang of ['fr', 'bm', 'snk'] as const) {
    it(`writes ${lang} dates exactly as Intl does`, () => {
      const f = formatsFor(lang);
      const l = LOCALE[lang];
      const date = intlDate(l, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
      const dateTime = intlDate(l, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
      const dayMonth = intlDate(l, { day: 'numeric', month: 'short' });
      const time = intlDate(l, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      const all = dates();
      assert.ok(all.length > 10_000);
      for (const d of all) {
        const iso = d.toISOString();
        assert.equal(f.date(iso), date.format(d), iso);
        assert.equal(f.date(d), date.format(d), iso);
        assert.equal(f.dateTime(iso), dateTime.format(d), iso);
        assert.equal(f.dayMonth(iso), dayMonth.format(d), iso);
        assert.equal(f.time(d), time.format(d), iso);
      }
      assert.equal(f.date('2026-03-05'), date.format(new Date('2026-03-05')));
    });
  }

  it('throws on an invalid date as Intl does', () => {
    assert.throws(() => formatsFor('fr').date('not a date'), RangeError);
    assert.throws(() => intlDate('fr-ML', { day: 'numeric' }).format(new Date('not a date')), RangeError);
  });

  it('writes numbers exactly as Intl does (fr-ML), with 0 to 2 decimals', () => {
    const values: number[] = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 1.005, 1.045, 2.675, 999.95, 999_999.96, 0.04, -0.04, 1e-7, 123_456_789.123];
    for (let i = 0; i < 4000; i++) values.push(Math.round(Math.sin(i) * 10 ** (i % 13)) / 10 ** (i % 4), i * 1234.5678, i / 7, -i / 3, i ** 3);
    for (let i = 0; i < 12; i++) values.push(10 ** i, 10 ** i - 1, -(10 ** i));
    for (const digits of [0, 1, 2]) {
      const intl = new Intl.NumberFormat('fr-ML', { maximumFractionDigits: digits });
      for (const v of values) assert.equal(number(v, digits), intl.format(v), `${v} with ${digits} decimals`);
    }
  });

  it("writes numbers as a message's # does (Intl's defaults: up to 3 decimals)", () => {
    for (const locale of ['fr-ML', 'bm-ML']) {
      const intl = new Intl.NumberFormat(locale);
      for (let i = 0; i < 5000; i++)
        for (const v of [i, i / 7, i * 1001.0005, -i / 9, i * 1234.5]) assert.equal(messageNumber(locale, v), intl.format(v), `${locale} ${v}`);
    }
  });

  it('chooses plural categories as Intl.PluralRules does (fr-ML, bm-ML)', () => {
    const values = [0, -0, 0.5, 1, 1.5, 1.999, 2, -1, -2, 1e6, 2e6, 3e6 + 1, 1.5e6, 1e9, 1e12];
    for (let i = 0; i < 3000; i++) values.push(i, i / 4, i * 1000, i * 1e6);
    for (const locale of ['fr-ML', 'bm-ML']) {
      const intl = new Intl.PluralRules(locale);
      for (const v of values) assert.equal(pluralOf(locale, v), intl.select(v), `${locale} ${v}`);
    }
  });

  it('writes sizes in Ko and Mo', () => {
    const f = formatsFor('bm');
    assert.equal(f.bytes(1_234_567_890), '1\u202f234,6 Mo');
    assert.equal(f.bytes(1500), '2 Ko');
  });
});
