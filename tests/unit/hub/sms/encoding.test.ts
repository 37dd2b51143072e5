import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { measureSms, renderTemplate, templateCosts, TEMPLATES, type TemplateName } from '../../../../hub/sms/index.js';

describe('SMS encoding and parts', () => {
  it('keeps French with GSM letters in GSM-7: 160 in one SMS, 153 a part beyond', () => {
    const one = measureSms('é'.repeat(160));
    assert.deepEqual([one.encoding, one.parts, one.units], ['gsm7', 1, 160]);
    const two = measureSms('a'.repeat(161));
    assert.deepEqual([two.encoding, two.parts, two.segments.map((s) => s.length)], ['gsm7', 2, [153, 8]]);
    assert.equal(measureSms('a'.repeat(306)).parts, 2);
    assert.equal(measureSms('a'.repeat(307)).parts, 3);
  });

  it('counts the extension characters as two septets and never splits one across parts', () => {
    assert.equal(measureSms('€'.repeat(80)).parts, 1);
    assert.equal(measureSms('€'.repeat(81)).parts, 2);
    // 152 plain letters then "€": the pair does not fit the first part's last septet.
    const m = measureSms(`${'a'.repeat(152)}€${'b'.repeat(10)}`);
    assert.deepEqual(m.segments, ['a'.repeat(152), `€${'b'.repeat(10)}`]);
  });

  it('makes Bambara UCS-2 (70 characters, 67 a part) and names the letters to blame', () => {
    const bm = 'I ni ce! I ka kalata sɔrɔla. Ɲɛnajɛ bɛ kɛ sini.';
    const m = measureSms(bm);
    assert.equal(m.encoding, 'ucs2');
    assert.deepEqual(m.forcing, ['ɔ', 'Ɲ', 'ɛ']);
    assert.equal(m.parts, 1);
    const long = measureSms('ɛ'.repeat(71));
    assert.deepEqual([long.parts, long.segments.map((s) => s.length)], [2, [67, 4]]);
    assert.equal(measureSms('ɔ'.repeat(134)).parts, 2);
    assert.equal(measureSms('ɔ'.repeat(135)).parts, 3);
    // One Bambara letter in a French text costs the whole message: 100 letters are 2 parts, not 1.
    assert.equal(measureSms(`${'a'.repeat(99)}ɛ`).parts, 2);
    // French ê is not GSM either.
    assert.equal(measureSms('fête').encoding, 'ucs2');
  });

  it('never splits a character outside the BMP (two UTF-16 units)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'ɛ', '😀', '€', 'é', ' '), { maxLength: 400 }), (chars) => {
        const text = chars.join('');
        const m = measureSms(text);
        assert.equal(m.segments.join(''), text, 'the parts carry the whole text');
        assert.equal(m.segments.length, m.parts);
        const limit = m.parts === 1 ? m.perSingle : m.encoding === 'gsm7' ? 153 : 67;
        for (const s of m.segments) {
          const units = m.encoding === 'ucs2' ? s.length : Array.from(s).reduce((n, ch) => n + ('€'.includes(ch) ? 2 : 1), 0);
          assert.ok(units <= limit, `a part holds ${units} > ${limit}`);
          assert.ok(!/[\ud800-\udbff]$/.test(s), 'no lone high surrogate at a part end');
        }
      })
    );
  });
});

describe('SMS templates', () => {
  it('keeps every French template in GSM-7, even with Bambara names in it', () => {
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      const text = renderTemplate(name, 'fr', { name: 'Fatoumata Kɔnɛ', space: 'Espace de Kayes', title: 'Foire de Ɲɔrɔ', code: 'PDESC', word: 'ŋaa' });
      assert.equal(measureSms(text).encoding, 'gsm7', `${name}: ${text}`);
    }
  });

  it('states the worst cost of each template, Bambara in UCS-2 and within 3 parts', () => {
    const costs = templateCosts(25);
    assert.equal(costs.length, Object.keys(TEMPLATES).length * 2);
    for (const c of costs) {
      assert.equal(c.cost, c.parts * 25);
      assert.ok(c.parts <= 3, `${c.name}/${c.lang} costs ${c.parts} parts`);
      if (c.lang === 'fr') assert.equal(c.encoding, 'gsm7', c.name);
    }
    // Answers to a vote fit one SMS in French.
    const voteOk = costs.find((c) => c.name === 'vote-ok' && c.lang === 'fr')!;
    assert.equal(voteOk.parts, 1);
    const bmVote = costs.find((c) => c.name === 'vote-ok' && c.lang === 'bm')!;
    assert.equal(bmVote.encoding, 'ucs2');
    // Bambara costs more than French for the same notice: the console must show it.
    const bmOpp = costs.find((c) => c.name === 'opportunity' && c.lang === 'bm')!;
    const frOpp = costs.find((c) => c.name === 'opportunity' && c.lang === 'fr')!;
    assert.ok(bmOpp.parts >= frOpp.parts);
  });

  it('cuts a long value to its maximum so the cost holds', () => {
    const text = renderTemplate('vote-ok', 'fr', { option: 2, code: 'PDESC', space: 'x'.repeat(200) });
    assert.ok(text.length <= 160);
    assert.match(text, /x\.$/);
  });
});
