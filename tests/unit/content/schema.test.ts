import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AppError,
  parseContentDoc,
  parseWith,
  RegistrationInput,
  ResponseInput,
  FeedbackInput,
  AttendanceInput,
  submissionId,
  hubIdOf,
  pickText,
} from '../../../content/index.js';

const official = {
  _id: 'official:kayes-maire',
  type: 'official',
  audience: { all: true },
  name: 'Aminata Diallo',
  sex: 'F',
  role: 'maire',
  commune: 'kayes',
  mandate: { start: 2023, end: 2028 },
  sample: true,
};

describe('content schema', () => {
  it('accepts a valid official and fills defaults', () => {
    const doc = parseContentDoc(official);
    assert.equal(doc.type, 'official');
    assert.deepEqual((doc as { commissions: unknown[] }).commissions, []);
  });

  it('names the field and the fix when a doc is wrong', () => {
    assert.throws(
      () => parseContentDoc({ ...official, sex: 'X' }),
      (e: unknown) => e instanceof AppError && e.status === 422 && /sex/.test(e.details) && /"F"/.test(e.details)
    );
    assert.throws(() => parseContentDoc({ ...official, type: 'bogus' }), /type must be one of/);
    assert.throws(() => parseContentDoc({ ...official, _id: 'course:x' }), /_id must look like "official:some-slug"/);
  });

  it('requires French in every multilingual text', () => {
    const course = {
      _id: 'course:c',
      type: 'course',
      audience: { all: true },
      title: { bm: 'Kalan' },
      summary: { fr: 'Résumé' },
      category: 'gouvernance',
      lessons: ['lesson:a'],
    };
    assert.throws(() => parseContentDoc(course), /title/);
    assert.equal(parseContentDoc({ ...course, title: { fr: 'Cours', bm: 'Kalan' } }).type, 'course');
  });

  it('refuses an empty audience', () => {
    assert.throws(() => parseContentDoc({ ...official, audience: {} }), /audience/);
  });

  it('refuses a consultation that closes before it opens', () => {
    const c = {
      _id: 'consultation:x',
      type: 'consultation',
      audience: { all: true },
      question: { fr: 'Quelle priorité ?' },
      options: [
        { id: 'eau', label: { fr: 'Eau' } },
        { id: 'ecole', label: { fr: 'École' } },
      ],
      opensAt: '2026-12-01T00:00:00Z',
      closesAt: '2026-11-01T00:00:00Z',
      resultsPublic: true,
    };
    assert.throws(() => parseContentDoc(c), /closesAt/);
  });

  it('falls back to French for a missing language', () => {
    assert.deepEqual(pickText({ fr: 'Bonjour', bm: 'I ni ce' }, 'bm'), { value: 'I ni ce', lang: 'bm' });
    assert.deepEqual(pickText({ fr: 'Bonjour' }, 'snk'), { value: 'Bonjour', lang: 'fr' });
  });
});

describe('submission schema', () => {
  it('requires explicit consent on a registration', () => {
    const reg = { fullName: 'Fatoumata Keita', sex: 'F', ageBand: '25-35', commune: 'kayes' };
    assert.throws(() => parseWith(RegistrationInput, reg), /consent/);
    assert.throws(() => parseWith(RegistrationInput, { ...reg, consent: false }), /consent must be true/);
    assert.equal(parseWith(RegistrationInput, { ...reg, consent: true }).consent, true);
  });

  it('refuses unknown fields (nothing sneaks into the database)', () => {
    assert.throws(() => parseWith(ResponseInput, { consultation: 'consultation:a', option: 'eau', deviceId: 'abcdefgh12', admin: true }), /admin|Unrecognized/);
  });

  it('needs text or voice in a message to an official', () => {
    assert.throws(() => parseWith(FeedbackInput, { official: 'official:a' }), /text or a voice/);
    assert.ok(parseWith(FeedbackInput, { official: 'official:a', message: 'Merci' }));
  });

  it('counts an anonymous attendee by sex and age band', () => {
    assert.throws(() => parseWith(AttendanceInput, { event: 'event:a', sex: 'F' }), /sex and age band/);
    assert.ok(parseWith(AttendanceInput, { event: 'event:a', sex: 'F', ageBand: '15-24' }));
  });

  it('makes hub-prefixed, time-sortable ids', () => {
    const a = submissionId('kayes-01', 'response', 1_000_000);
    const b = submissionId('kayes-01', 'response', 1_000_000);
    const c = submissionId('kayes-01', 'response', 2_000_000);
    assert.match(a, /^kayes-01:response:[0-9a-z]+$/);
    assert.ok(a < b && b < c, `${a} < ${b} < ${c}`);
    assert.equal(hubIdOf(c), 'kayes-01');
  });
});
