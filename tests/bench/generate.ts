import { createHash } from 'node:crypto';

const WORDS = (
  'commune conseil budget école santé eau forage femmes jeunes élus plaidoyer leadership formation citoyenneté ' +
  'participation développement marché maraîchage coopérative association réseau quartier village cercle région ' +
  'Kayes Nioro Bafoulabé Yélimané transparence redevabilité plan priorités session délibération vote liste électorale ' +
  'alphabétisation numérique téléphone message mairie adjoint commission environnement artisanat emploi'
).split(' ');

const SYLLABLES =
  'ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu sa se si so su ta te ti to tu ya yo wa ga go fa fo ra ro'.split(
    ' '
  );

/** A vocabulary like real text's: the programme's words plus thousands of rarer ones. */
const VOCABULARY = [...WORDS];
for (let i = 0; VOCABULARY.length < 20_000; i += 1) {
  let w = '';
  for (let x = i + 1; x > 0; x = Math.floor(x / SYLLABLES.length)) w += SYLLABLES[x % SYLLABLES.length]!;
  VOCABULARY.push(`${w}${['', 'e', 'ment', 'tion', 'ité'][i % 5]}`);
}

/** Words drawn with a Zipf-like law: a few very common, a long tail of rare ones. */
function words(seed: number, n: number): string {
  const out: string[] = [];
  let x = seed + 1;
  for (let i = 0; i < n; i += 1) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const u = (x % 1_000_000) / 1_000_000;
    out.push(VOCABULARY[Math.floor(VOCABULARY.length ** u) - 1]!);
  }
  return out.join(' ');
}

/** `n` valid content docs of mixed types, deterministic, for load and growth figures. */
export function generateDocs(n: number): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  const all = { all: true };
  for (let i = 0; i < n; i += 1) {
    const k = i % 5;
    const slug = `gen-${i.toString(36)}`;
    if (k === 0) {
      docs.push({
        _id: `document:${slug}`,
        type: 'document',
        audience: all,
        kind: 'fiche',
        title: { fr: `Fiche ${words(i, 4)}`, bm: `Sɛbɛn ${i}` },
        summary: { fr: words(i + 1, 20) },
        body: { fr: words(i + 2, 120) },
      });
    } else if (k === 1) {
      docs.push({
        _id: `organisation:${slug}`,
        type: 'organisation',
        audience: all,
        name: `Association ${words(i, 3)}`,
        kind: 'association',
        domains: ['jeunesse'],
        description: { fr: words(i + 3, 40) },
        sample: true,
      });
    } else if (k === 2) {
      docs.push({
        _id: `announcement:${slug}`,
        type: 'announcement',
        audience: all,
        title: { fr: `Annonce ${words(i, 4)}` },
        body: { fr: words(i + 4, 60) },
        publishedAt: '2026-11-01T08:00:00Z',
        priority: 1,
      });
    } else if (k === 3) {
      docs.push({
        _id: `event:${slug}`,
        type: 'event',
        audience: all,
        kind: 'atelier',
        title: { fr: `Atelier ${words(i, 4)}` },
        startsAt: '2027-01-15T09:00:00Z',
        place: 'Espace connecté',
        commune: 'kayes',
        capacity: 40,
      });
    } else {
      docs.push({
        _id: `official:${slug}`,
        type: 'official',
        audience: all,
        name: `Élu ${words(i, 2)}`,
        sex: i % 2 ? 'F' : 'M',
        role: 'conseiller',
        commune: 'kayes',
        mandate: { start: 2023, end: 2028 },
        sample: true,
      });
    }
  }
  return docs;
}

/** A file of `size` bytes and its sha256 (stands in for a video). */
export function generateMedia(size: number): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4096) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Words a visitor might type: drawn from the same vocabulary, so some are common and most are rare. */
export function queryWords(n: number): string[] {
  return words(987_654, n).split(' ');
}
