import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatsFor } from '../../../../hub/portal/format.js';
import { safeNext } from '../../../../hub/portal/request.js';
import { sectionOf } from '../../../../hub/portal/sections.js';

describe('portal request helpers', () => {
  it('only ever sends a visitor back inside the hub', () => {
    assert.equal(safeNext('/apprendre/plaidoyer?x=1'), '/apprendre/plaidoyer?x=1');
    for (const bad of ['//evil.example/', '/\\evil.example', 'http://evil.example/', 'javascript:alert(1)', '', undefined, ['/a'], `/${'a'.repeat(600)}`]) {
      assert.equal(safeNext(bad), '/', String(bad));
    }
  });

  it('files every path under its section for the usage counts', () => {
    assert.equal(sectionOf('/'), 'accueil');
    assert.equal(sectionOf('/apprendre/plaidoyer/2'), 'apprendre');
    assert.equal(sectionOf('/participer'), 'participer');
    assert.equal(sectionOf('/static/portal.css'), null);
    assert.equal(sectionOf('/api/v1/content'), null);
  });
});

describe('dates and numbers for Mali', () => {
  const at = new Date('2026-12-05T23:30:00Z');
  it('writes dates in Bamako time (UTC) in French and Bambara', () => {
    assert.equal(formatsFor('fr').date(at), 'samedi 5 décembre 2026');
    assert.equal(formatsFor('fr').time(at), '23:30');
    assert.match(formatsFor('bm').date(at), /2026/);
    assert.notEqual(formatsFor('bm').date(at), formatsFor('fr').date(at));
  });
  it('writes numbers the French way whatever the language', () => {
    for (const lang of ['fr', 'bm', 'snk'] as const) assert.equal(formatsFor(lang).number(12345.6, 1).replace(/\s/g, ' '), '12 345,6');
    assert.equal(formatsFor('fr').bytes(2_500_000).replace(/\s/g, ' '), '2,5 Mo');
  });
});
