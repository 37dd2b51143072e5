import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContentDoc, submissionInputSchemas } from '../../../content/index.js';

/** Issue #20, items 5 and 7: what the shared schema refuses in any text, and in events. */
describe('text rules of the shared schema', () => {
  const registration = (fullName: string, organisation?: string) =>
    submissionInputSchemas.registration.safeParse({ fullName, organisation, sex: 'F', ageBand: '25-35', commune: 'kayes', consent: true });

  it('refuses NUL, other control characters and direction overrides in names', () => {
    for (const name of ['Awa\u0000Traoré', 'Awa\u001bTraoré', 'Awa\u202eéroarT', 'Awa \u2066Traoré\u2069', 'Awa\u0085Traoré', 'Awa\nTraoré']) {
      const r = registration(name);
      assert.equal(r.success, false, JSON.stringify(name));
      assert.match(JSON.stringify(r.error.issues), /control characters or invisible direction overrides/);
    }
    assert.equal(registration('Awa', 'Réseau\u202e des femmes').success, false, 'in the organisation too');
    assert.equal(registration('Aïssata "Ada" Koné, dite la présidente', 'ɲɛmɔgɔya; Kayes').success, true, 'accents, quotes, Bambara letters are fine');
  });

  it('allows line breaks and tabs in messages and texts, not other controls', () => {
    const feedback = (message: string) => submissionInputSchemas.feedback.safeParse({ official: 'official:kayes-maire', message });
    assert.equal(feedback('Bonjour,\n\tle puits est en panne.\r\nMerci').success, true);
    assert.equal(feedback('Bonjour\u0007').success, false);
    assert.equal(feedback('Bonjour \u202dmonsieur').success, false);
    const doc = (fr: string) => () =>
      parseContentDoc({ _id: 'document:x', type: 'document', title: { fr }, summary: { fr: 'Résumé' }, kind: 'fiche', audience: { all: true } }, 'test');
    assert.doesNotThrow(doc('Guide\ndu budget'));
    assert.throws(doc('Guide \u202edu budget'), /direction overrides/);
  });

  it('refuses an event that ends before it starts, or with a one-letter title', () => {
    const event = (over: Record<string, unknown>) => () =>
      parseContentDoc(
        {
          _id: 'event:x',
          type: 'event',
          title: { fr: 'Atelier budget' },
          kind: 'atelier',
          startsAt: '2026-12-01T09:00:00Z',
          place: 'Salle',
          commune: 'kayes',
          capacity: 20,
          audience: { all: true },
          ...over,
        },
        'test'
      );
    assert.doesNotThrow(event({ endsAt: '2026-12-01T12:00:00Z' }));
    assert.throws(event({ endsAt: '2026-12-01T08:00:00Z' }), /endsAt must come after startsAt/);
    assert.throws(event({ endsAt: '2026-12-01T09:00:00Z' }), /endsAt must come after startsAt/);
    assert.throws(event({ title: { fr: 'A' } }), /at least 3 characters/);
    assert.throws(event({ title: { fr: 'x'.repeat(121) } }), /title/);
  });
});
