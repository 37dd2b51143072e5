import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { computeIndicators, indicatorsCsv, monthRange, toCsv } from '../../../../hub/indicators/index.js';
import { fixtureSources } from './fixture.js';

describe('CSV export', () => {
  it('round-trips accents, commas, quotes and line breaks, with a BOM and CRLF', () => {
    const tricky = ['Aïssata "Ada" Diarra, née Koné', 'ligne 1\nligne 2\r\nligne 3', 'Ségou; Kayes', '', 'ɲɛmɔgɔya'];
    const text = toCsv(['a', 'b', 'c', 'd', 'e'], [tricky, [1, 2.5, true, null, undefined]]);
    assert.ok(text.startsWith('\ufeff'), 'UTF-8 byte-order mark for Excel');
    assert.ok(text.includes('e\r\n'), 'CRLF after the header');
    const rows = parse(text, { bom: true }) as string[][];
    assert.deepEqual(rows[0], ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(rows[1], tricky);
    assert.deepEqual(rows[2], ['1', '2.5', 'oui', '', '']);
  });

  it('exports the indicators with every disaggregation', () => {
    const report = computeIndicators(fixtureSources(), monthRange('2026-11'));
    const rows = parse(indicatorsCsv(report, 'kayes-01'), { bom: true, columns: true }) as Record<string, string>[];
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
