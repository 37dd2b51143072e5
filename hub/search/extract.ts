import type { ContentDoc } from '../../content/index.js';

/** Every human-readable string of a doc, in all its languages, for the full-text field. */
export function searchableText(doc: ContentDoc): string {
  const parts: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      // Ids, hashes, dates and enums are not words a visitor types.
      if (key === '_id' || key === '_rev' || key === 'type' || key === 'pack' || /^[0-9a-f]{64}$/.test(v) || /^\d{4}-\d{2}-\d{2}/.test(v)) return;
      if (/(^|:)(lesson|quiz|course|media):/.test(v)) return;
      parts.push(v);
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
