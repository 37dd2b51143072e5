import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_PACK_DIR, exportTranslations, readPackSource, translationId, type Translation } from '../../../../content/index.js';
import { projectRoot } from '../../../../hub/config/index.js';
import { tempDir } from '../../../support/hub.js';

const tr = (target: string, field: string, lang: 'bm' | 'snk' | 'fr', extra: Partial<Translation>): Translation => ({
  _id: translationId(target, field, lang),
  type: 'translation',
  audience: { all: true },
  target,
  field,
  lang,
  contributions: ['kayes-01:contribution:0mhz3k0x1000a1b2'],
  acceptedAt: '2026-12-01T10:00:00Z',
  ...extra,
});

describe('accepted translations exported back into the authoring files', () => {
  let dir: { path: string; remove(): void };
  let pack: string;
  const take = Buffer.from('OggS fake take');
  before(() => {
    dir = tempDir('espace-export-');
    pack = join(dir.path, 'kayes');
    cpSync(join(projectRoot(), DEMO_PACK_DIR), pack, { recursive: true });
    mkdirSync(join(dir.path, 'locales'));
    writeFileSync(join(dir.path, 'locales', 'bm.json'), JSON.stringify({ 'nav.home': 'Daminɛ' }, null, 2));
  });
  after(() => dir.remove());

  it('writes texts beside fr, recordings into media/ with their references, messages into the catalogs; the pack still reads', async () => {
    const report = await exportTranslations(
      [
        tr('quiz:alphabetisation-numerique', 'questions.0.choices.0.label', 'bm', { audio: 'a'.repeat(64), text: 'segin' }),
        tr('quiz:alphabetisation-numerique', 'questions.1.prompt', 'bm', { text: 'Dɔrɔmɛ kɛmɛ ye CFA joli ye ?' }),
        tr('lesson:alpha-1-chiffres-et-nombres', 'title', 'fr', { audio: 'b'.repeat(64) }),
        tr('message:nav.agenda', 'text', 'bm', { text: 'Kɛtaw' }),
        tr('quiz:nowhere', 'title', 'bm', { text: 'x' }),
      ],
      { packDir: pack, localesDir: join(dir.path, 'locales'), voicesDir: join(dir.path, 'voice'), media: async () => take }
    );
    assert.equal(report.texts, 3);
    assert.equal(report.recordings, 2);
    assert.deepEqual(
      report.skipped.map((s) => s.target),
      ['quiz:nowhere']
    );
    const course = readFileSync(join(pack, 'courses/alphabetisation-numerique/course.yaml'), 'utf8');
    assert.match(course, /bm: Dɔrɔmɛ kɛmɛ ye CFA joli ye \?|bm: "Dɔrɔmɛ kɛmɛ ye CFA joli ye \?"/);
    assert.match(course, /media\/audio\/studio\/alphabetisation-numerique-questions-0-choices-0-label-bm\.opus/);
    const lesson = readFileSync(join(pack, 'courses/alphabetisation-numerique/01-chiffres-et-nombres.md'), 'utf8');
    assert.match(lesson, /^---\n_id: lesson:alpha-1-chiffres-et-nombres/);
    assert.match(lesson, /# Narration first/, 'comments are kept');
    assert.match(lesson, /titleAudio: \{ fr: media\/audio\/studio\/alpha-1-chiffres-et-nombres-title-fr\.opus \}/);
    assert.deepEqual(readFileSync(join(pack, 'media/audio/studio/alpha-1-chiffres-et-nombres-title-fr.opus')), take);
    assert.equal(JSON.parse(readFileSync(join(dir.path, 'locales', 'bm.json'), 'utf8'))['nav.agenda'], 'Kɛtaw');
    // The pack, as edited, is still a valid pack.
    const read = await readPackSource(pack);
    const quiz = read.docs.find((d) => d._id === 'quiz:alphabetisation-numerique') as unknown as {
      questions: { prompt: { bm?: string }; choices: { audio?: { bm?: string } }[] }[];
    };
    assert.equal(quiz.questions[1]!.prompt.bm, 'Dɔrɔmɛ kɛmɛ ye CFA joli ye ?');
    assert.match(quiz.questions[0]!.choices[0]!.audio!.bm!, /^[0-9a-f]{64}$/);
  });
});
