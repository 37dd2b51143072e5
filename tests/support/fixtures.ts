import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHub } from './hub.js';

/** A small, valid set of content docs, for tests that don't need the whole demo pack. */
export function fixtureDocs(now = new Date()): Record<string, unknown>[] {
  const day = 86_400_000;
  const all = { all: true };
  return [
    {
      _id: 'course:gouvernance-locale',
      type: 'course',
      audience: all,
      title: { fr: 'Gouverner une collectivité', bm: 'Komini ɲɛmɔgɔya' },
      summary: { fr: 'Le conseil communal, le budget et les écoles de la commune.' },
      category: 'gouvernance',
      lessons: ['lesson:le-conseil-communal'],
    },
    {
      _id: 'lesson:le-conseil-communal',
      type: 'lesson',
      audience: all,
      course: 'course:gouvernance-locale',
      order: 1,
      title: { fr: 'Le conseil communal' },
      blocks: [{ kind: 'text', body: { fr: 'Le conseil communal vote le budget de la commune.' } }],
    },
    {
      _id: 'document:guide-budget',
      type: 'document',
      audience: all,
      title: { fr: 'Guide du budget communal' },
      summary: { fr: 'Comprendre les recettes et les dépenses.' },
      kind: 'guide',
      body: { fr: 'Le budget prévoit les recettes et les dépenses de l’année.' },
    },
    {
      _id: 'official:kayes-maire',
      type: 'official',
      audience: all,
      name: 'Aminata Traoré',
      sex: 'F',
      role: 'maire',
      commune: 'kayes',
      mandate: { start: 2023, end: 2028 },
      sample: true,
    },
    {
      _id: 'organisation:femmes-kayes',
      type: 'organisation',
      audience: all,
      name: 'Réseau des femmes leaders de Kayes',
      acronym: 'REFLEK',
      kind: 'reseau',
      domains: ['droits-des-femmes', 'gouvernance'],
      description: { fr: 'Un réseau d’associations féminines engagées pour les écoles et la santé.' },
      sample: true,
    },
    {
      _id: 'consultation:priorites',
      type: 'consultation',
      audience: all,
      question: { fr: 'Quelle est la priorité de la commune ?', bm: 'Komini ka baara fɔlɔ ye mun ye?' },
      options: [
        { id: 'eau', label: { fr: 'Eau potable' } },
        { id: 'ecole', label: { fr: 'Écoles' } },
      ],
      opensAt: new Date(now.getTime() - 10 * day).toISOString(),
      closesAt: new Date(now.getTime() + 30 * day).toISOString(),
      resultsPublic: true,
    },
    {
      _id: 'consultation:fermee',
      type: 'consultation',
      audience: all,
      question: { fr: 'Ancienne question' },
      options: [
        { id: 'oui', label: { fr: 'Oui' } },
        { id: 'non', label: { fr: 'Non' } },
      ],
      opensAt: new Date(now.getTime() - 60 * day).toISOString(),
      closesAt: new Date(now.getTime() - 30 * day).toISOString(),
      resultsPublic: false,
    },
    {
      _id: 'event:formation-budget',
      type: 'event',
      audience: all,
      title: { fr: 'Formation sur le budget participatif' },
      kind: 'formation',
      startsAt: new Date(now.getTime() + 7 * day).toISOString(),
      place: 'Espace connecté de Kayes',
      commune: 'kayes',
      capacity: 30,
    },
  ];
}

/** A media file of `size` bytes with a predictable pattern, and its sha256. */
export function fixtureMedia(size = 256 * 1024): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + 7) % 251;
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Loads the fixture docs and one audio file into a running test hub. */
export async function seedFixtures(hub: TestHub): Promise<{ media: { bytes: Buffer; sha256: string } }> {
  const media = fixtureMedia();
  await hub.deps.media.put(media.bytes, media.sha256);
  await hub.deps.dbs.media.put({
    _id: `media:${media.sha256}`,
    type: 'media',
    sha256: media.sha256,
    size: media.bytes.length,
    mime: 'audio/ogg',
    filename: 'voix.opus',
    priority: 1,
  });
  await hub.deps.dbs.content.bulkDocs(fixtureDocs() as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
  await hub.deps.search.build(() => hub.deps.catalog.everything());
  return { media };
}

const spoken = new Map<string, Buffer>();

/**
 * A real spoken recording, as a phone's recorder would hand it over: espeak-ng says the
 * words, opusenc makes Ogg Opus of it (or the WAV is kept).
 */
export function spokenRecording(format: 'opus' | 'wav' = 'opus', words = 'Bonjour monsieur le maire, le forage du quartier est en panne.'): Buffer {
  const key = `${format}:${words}`;
  const known = spoken.get(key);
  if (known) return known;
  const dir = mkdtempSync(join(tmpdir(), 'espace-voice-'));
  try {
    execFileSync('espeak-ng', ['-v', 'fr', '-w', join(dir, 'v.wav'), words]);
    if (format === 'opus') execFileSync('opusenc', ['--quiet', '--speech', '--bitrate', '16', join(dir, 'v.wav'), join(dir, 'v.opus')]);
    const bytes = readFileSync(join(dir, format === 'opus' ? 'v.opus' : 'v.wav'));
    spoken.set(key, bytes);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An announcement to all, in French: searched and listed like any content doc. */
export const announcement = (slug: string, title: string, body: string) => ({
  _id: `announcement:${slug}`,
  type: 'announcement',
  audience: { all: true },
  title: { fr: title },
  body: { fr: body },
  publishedAt: '2026-11-01T08:00:00Z',
});
