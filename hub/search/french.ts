/** Words too common to help a search (French, plus a few Bambara particles). */
const STOP = new Set(
  'le la les l de des du d un une et ou a au aux en pour par sur dans avec que qui qu ce ces cet cette est son sa ses leur leurs se ne pas plus n s c j m t y il elle ils elles on nous vous je tu ni ka ye ko ma'.split(
    ' '
  )
);
const PLAIN = /^[a-z0-9]+$/;

/**
 * Folds a word for matching: case, accents (é→e, ç→c), elisions and simple French plurals
 * (écoles→ecole, conseils→conseil, communaux→communal), so a search does not depend on
 * how well a visitor spells. Returns null for stop words. Runs for every word indexed, so
 * plain ASCII words skip the Unicode work.
 */
export function foldTerm(term: string): string | null {
  let t = term.toLowerCase();
  if (!PLAIN.test(t)) {
    t = t.normalize('NFD').replace(/\p{M}+/gu, '');
    if (t.includes("'") || t.includes('’')) t = t.replace(/^(?:l|d|j|qu|n|s|c|m|t)['’]/, '').replace(/['’]/g, '');
  }
  if (t.length === 0 || STOP.has(t)) return null;
  if (t.length > 4 && t.endsWith('aux')) return `${t.slice(0, -3)}al`;
  if (t.length > 3 && (t.endsWith('s') || t.endsWith('x')) && !t.endsWith('ss')) return t.slice(0, -1);
  return t;
}
