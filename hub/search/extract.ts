import type { ContentDoc } from '../../content/boot.js';

/**
 * How much of one string is indexed: a whole title, summary or description, and the first
 * sections of a long body. Postings cost 4–8 bytes each (postings.ts), so bodies of a few
 * pages cost little; the bound keeps a book-length doc from filling a Pi's memory with
 * words nobody searches it by.
 */
export const STRING_CHARS = 2000;
/** How much text of one doc is indexed at most (a lesson has many blocks). */
export const DOC_CHARS = 6000;

/** The opening of `s`, at most `max` characters, cut between words. */
function opening(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max);
  return s.slice(0, cut > max / 2 ? cut : max);
}

/**
 * The human-readable strings of a doc, in all its languages, for the full-text field:
 * each string's opening, in the doc's own order, up to a total budget.
 */
export function searchableText(doc: ContentDoc): string {
  const parts: string[] = [];
  let budget = DOC_CHARS;
  const walk = (v: unknown, key: string): void => {
    if (budget <= 0) return;
    if (typeof v === 'string') {
      // Ids, hashes, dates and enums are not words a visitor types.
      if (key === '_id' || key === '_rev' || key === 'type' || key === 'pack' || /^[0-9a-f]{64}$/.test(v) || /^\d{4}-\d{2}-\d{2}/.test(v)) return;
      if (/(^|:)(lesson|quiz|course|media):/.test(v)) return;
      const part = opening(v, Math.min(STRING_CHARS, budget));
      parts.push(part);
      budget -= part.length + 1;
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'audience' || k === 'titleAudio' || k === 'questionAudio' || k === 'audio' || k === 'contact' || k === 'sample') continue;
        walk(x, k);
      }
    }
  };
  walk(doc, '');
  return parts.join(' ');
}

/** The doc's title in every language it has (officials and organisations have a name). */
export function titleOf(doc: ContentDoc): Record<string, string> {
  const d = doc as unknown as Record<string, unknown>;
  const t = (d.title ?? d.question ?? d.label) as Record<string, string> | undefined;
  if (t && typeof t === 'object') return t;
  const name = (d.name as string | undefined) ?? doc._id;
  const acronym = d.acronym ? ` (${d.acronym as string})` : '';
  return { fr: `${name}${acronym}` };
}
