import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SigningKey, TrustedKey } from '../../../../content/pack/index.js';

/** A temporary folder (pack tests need no hub, so they do not load tests/support/hub.ts). */
export function tempDir(prefix = 'espace-pack-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface FixtureOptions {
  /** The pack's name (its docs say they belong to it). */
  name?: string;
  version?: string;
  /** Leave the official out (a newer version that dropped a doc). */
  withoutOfficial?: boolean;
  /** Change the course summary (a newer version that changed a doc). */
  summary?: string;
  /** Add this many generated documents (a pack big enough to take a while to import). */
  bulkDocuments?: number;
}

function write(root: string, rel: string, text: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** Deterministic pseudo-random bytes, so media files do not compress to nothing. */
export function noise(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A small pack folder in the authoring format: a course, a lesson with audio, a quiz, an official with a photo, a document. */
export function writeFixturePack(root: string, options: FixtureOptions = {}): void {
  write(
    root,
    'pack.yaml',
    `name: ${options.name ?? 'fixture'}\nversion: ${options.version ?? '1.0.0'}\ntitle: Pack de test\ndescription: Un petit pack pour les tests\naudience: { regions: [kayes] }\nlanguages: [fr, bm]\n`
  );
  write(
    root,
    'courses/budget/course.md',
    `---\n_id: course:budget\ntype: course\ntitle: { fr: Le budget communal, bm: Komini wari }\nsummary: { fr: "${options.summary ?? 'Comprendre le budget de la commune'}" }\ncategory: gouvernance\nlessons: [lesson:budget-1]\nquiz: quiz:budget\n---\n`
  );
  write(
    root,
    'courses/budget/lesson-1.md',
    `---\n_id: lesson:budget-1\ntype: lesson\ncourse: course:budget\norder: 0\ntitle: { fr: Qui vote le budget ?, bm: Jɔn bɛ wari sariya ta? }\nbody: { bm: "Komini wari bɛ ta..." }\nblocks:\n  - { kind: audio, media: media/audio/intro.opus, lang: fr }\n  - { kind: quiz, quiz: quiz:budget }\n---\n# Qui vote le budget ?\n\nLe conseil communal vote le budget chaque année.\n`
  );
  write(
    root,
    'quizzes.yaml',
    `- _id: quiz:budget\n  type: quiz\n  course: course:budget\n  title: { fr: Quiz sur le budget }\n  questions:\n    - prompt: { fr: Qui vote le budget ? }\n      choices:\n        - { label: { fr: Le conseil communal }, correct: true }\n        - { label: { fr: Le préfet }, correct: false }\n`
  );
  if (!options.withoutOfficial) {
    write(
      root,
      'officials.yaml',
      `- _id: official:fixture-maire\n  type: official\n  name: Awa Traoré\n  sex: F\n  role: maire\n  commune: kayes\n  mandate: { start: 2023, end: 2028 }\n  photo: media/img/maire.png\n  sample: true\n  audience: { communes: [kayes] }\n`
    );
  }
  write(
    root,
    'documents/pdesc.md',
    `---\n_id: document:pdesc\ntype: document\ntitle: { fr: Plan de développement }\nsummary: { fr: Le PDESC en bref }\nkind: plan\n---\nLe **PDESC** fixe les priorités de la commune.\n`
  );
  if (options.bulkDocuments) {
    const text = 'Texte de remplissage pour un document généré. '.repeat(20);
    const items = Array.from(
      { length: options.bulkDocuments },
      (_, i) => `- _id: document:bulk-${i}\n  type: document\n  title: { fr: Document ${i} }\n  summary: { fr: "${text}" }\n  kind: fiche\n`
    );
    write(root, 'bulk.yaml', items.join(''));
  }
  write(root, 'README.md', 'Notes for authors: not content.\n');
  write(root, 'media/audio/intro.opus', noise(20_000, 1));
  write(root, 'media/img/maire.png', noise(3_000, 2));
  write(root, 'media/unused.png', noise(100, 3));
}

/** A fresh signing key and the matching trusted key. */
export function fixtureKey(id = 'test-key'): { signing: SigningKey; trusted: TrustedKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signing: { id, privateKey }, trusted: { id, publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString() } };
}
