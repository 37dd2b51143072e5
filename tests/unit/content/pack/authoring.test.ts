import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError, type Document, type Lesson, type Official } from '../../../../content/index.js';
import { mediaKindOf, readPackSource, type PackSource } from '../../../../content/pack/index.js';
import { tempDir, writeFixturePack } from './fixture.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Asserts an AppError with this reason whose sentence matches every pattern. */
function refusal(reason: string, ...patterns: RegExp[]) {
  return (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.details);
    for (const p of patterns) assert.match(e.details, p);
    return true;
  };
}

describe('pack authoring → docs', () => {
  const dir = tempDir('espace-pack-src-');
  let src: PackSource;
  before(async () => {
    writeFixturePack(dir.path);
    src = await readPackSource(dir.path);
  });
  after(() => dir.remove());

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the document type it expects
  const doc = <T>(id: string) => src.docs.find((d) => d._id === id) as T;

  it('reads pack.yaml, Markdown front matter and YAML lists, and skips README.md', () => {
    assert.equal(src.info.name, 'fixture');
    assert.deepEqual(src.docs.map((d) => d._id).sort(), ['course:budget', 'document:pdesc', 'lesson:budget-1', 'official:fixture-maire', 'quiz:budget']);
  });

  it("puts a lesson's Markdown body first as a text block, merged with other languages from the front matter", () => {
    const lesson = doc<Lesson>('lesson:budget-1');
    assert.deepEqual(lesson.blocks[0], {
      kind: 'text',
      body: { fr: '# Qui vote le budget ?\n\nLe conseil communal vote le budget chaque année.', bm: 'Komini wari bɛ ta...' },
    });
    assert.equal(lesson.blocks[1]!.kind, 'audio');
    assert.equal(lesson.blocks.length, 3);
  });

  it("makes a document's Markdown body its body.fr", () => {
    assert.deepEqual(doc<Document>('document:pdesc').body, { fr: 'Le **PDESC** fixe les priorités de la commune.' });
  });

  it('replaces media paths by sha256 and describes each media file', () => {
    const audio = readFileSync(join(dir.path, 'media/audio/intro.opus'));
    const photo = readFileSync(join(dir.path, 'media/img/maire.png'));
    const lesson = doc<Lesson>('lesson:budget-1');
    assert.deepEqual(lesson.blocks[1], { kind: 'audio', media: sha(audio), lang: 'fr' });
    assert.equal(doc<Official>('official:fixture-maire').photo, sha(photo));
    const metas = new Map(src.media.map((m) => [m.meta.sha256, m.meta]));
    assert.deepEqual(metas.get(sha(audio)), {
      _id: `media:${sha(audio)}`,
      type: 'media',
      sha256: sha(audio),
      size: audio.length,
      mime: 'audio/ogg',
      filename: 'intro.opus',
      priority: 1,
      audience: { regions: ['kayes'] },
      pack: 'fixture',
    });
    assert.equal(metas.get(sha(photo))!.mime, 'image/png');
    assert.equal(metas.get(sha(photo))!.priority, 2);
    assert.deepEqual(src.unusedMedia, ['media/unused.png']);
  });

  it('ranks media for a thin uplink: narration first, then images, documents, video', () => {
    assert.deepEqual(mediaKindOf('a/b/Titre.OPUS'), { mime: 'audio/ogg', priority: 1 });
    assert.deepEqual(mediaKindOf('photo.jpg'), { mime: 'image/jpeg', priority: 2 });
    assert.deepEqual(mediaKindOf('pdesc.pdf'), { mime: 'application/pdf', priority: 3 });
    assert.deepEqual(mediaKindOf('clip.mp4'), { mime: 'video/mp4', priority: 4 });
    assert.equal(mediaKindOf('script.sh'), undefined);
  });

  it("gives every doc the pack's name, and the pack's audience when it has none", () => {
    for (const d of src.docs) assert.equal(d.pack, 'fixture');
    assert.deepEqual(doc<Lesson>('lesson:budget-1').audience, { regions: ['kayes'] });
    assert.deepEqual(doc<Official>('official:fixture-maire').audience, { communes: ['kayes'] });
  });
});

describe('pack authoring errors name the file, the doc and the field', () => {
  const cases: { name: string; edit(root: string): void; reason: string; patterns: RegExp[] }[] = [
    {
      name: 'a media path that names no file',
      edit: (root) => replaceIn(root, 'officials.yaml', 'media/img/maire.png', 'media/img/absent.png'),
      reason: 'pack-media-missing',
      patterns: [/officials\.yaml/, /official:fixture-maire/, /media\/img\/absent\.png/],
    },
    {
      name: 'a media path leaving media/',
      edit: (root) => replaceIn(root, 'officials.yaml', 'media/img/maire.png', 'media/../pack.yaml'),
      reason: 'pack-bad-media-path',
      patterns: [/official:fixture-maire/, /leaves the media\/ folder/],
    },
    {
      name: 'a field failing the schema',
      edit: (root) => replaceIn(root, 'officials.yaml', 'sex: F', 'sex: X'),
      reason: 'invalid-content',
      patterns: [/officials\.yaml/, /official:fixture-maire/, /sex: /],
    },
    {
      name: 'a lesson the course does not have',
      edit: (root) => replaceIn(root, 'courses/budget/course.md', 'lessons: [lesson:budget-1]', 'lessons: [lesson:budget-1, lesson:budget-2]'),
      reason: 'pack-broken-reference',
      patterns: [/courses\/budget\/course\.md/, /course:budget/, /lessons\.1 refers to lesson:budget-2/],
    },
    {
      name: 'a lesson whose course does not list it',
      edit: (root) => replaceIn(root, 'courses/budget/course.md', 'lessons: [lesson:budget-1]', 'lessons: [lesson:budget-9]'),
      reason: 'pack-broken-reference',
      patterns: [/lessons.0 refers to lesson:budget-9/, /lesson:budget-1\): its course course:budget does not list it/],
    },
    {
      name: 'the same _id twice',
      edit: (root) => writeFileSync(join(root, 'more.yaml'), '- _id: quiz:budget\n  type: quiz\n'),
      reason: 'pack-duplicate-id',
      patterns: [/quiz:budget/, /quizzes\.yaml/, /more\.yaml/],
    },
    {
      name: 'a Markdown body on a type that takes none',
      edit: (root) => writeFileSync(join(root, 'courses/budget/course.md'), `${readFileSync(join(root, 'courses/budget/course.md'), 'utf8')}Some text\n`),
      reason: 'pack-bad-body',
      patterns: [/course\.md/, /has no Markdown body/],
    },
    {
      name: 'a doc without _id',
      edit: (root) => writeFileSync(join(root, 'events.yaml'), '- type: event\n  place: Kayes\n'),
      reason: 'pack-bad-doc',
      patterns: [/events\.yaml: a doc has no _id/, /"_id: event:some-slug"/],
    },
    {
      name: 'a Markdown file without front matter',
      edit: (root) => writeFileSync(join(root, 'notes.md'), '# Just notes\n'),
      reason: 'pack-no-front-matter',
      patterns: [/notes\.md/],
    },
    {
      name: 'a bad pack.yaml',
      edit: (root) => replaceIn(root, 'pack.yaml', 'version: 1.0.0', 'version: one'),
      reason: 'pack-bad-info',
      patterns: [/pack\.yaml/, /version/],
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const dir = tempDir('espace-pack-bad-');
      try {
        writeFixturePack(dir.path);
        c.edit(dir.path);
        await assert.rejects(readPackSource(dir.path), refusal(c.reason, ...c.patterns));
      } finally {
        dir.remove();
      }
    });
  }

  it('refuses a folder without pack.yaml', async () => {
    const dir = tempDir('espace-pack-bad-');
    try {
      writeFixturePack(dir.path);
      rmSync(join(dir.path, 'pack.yaml'));
      await assert.rejects(readPackSource(dir.path), refusal('pack-source-missing', /pack\.yaml is missing/));
    } finally {
      dir.remove();
    }
  });
});

function replaceIn(root: string, rel: string, from: string, to: string): void {
  const file = join(root, rel);
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${rel} should contain ${from}`);
  writeFileSync(file, text.replace(from, to));
}
