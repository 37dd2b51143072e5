import { LANGUAGES, type Language } from '../../content/boot.js';

const LANG_KEYS = new Set<string>(LANGUAGES);

function isLangObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => LANG_KEYS.has(k));
}

/**
 * A doc with every multilingual field resolved to the visitor's language: texts become
 * strings, recordings become one sha256. `_fallback` lists the fields shown in French
 * because the wanted language is missing, so the interface can say so.
 */
export function localize<T>(doc: T, lang: Language): T & { _lang: Language; _fallback: string[] } {
  const fallback: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (isLangObject(value)) {
      const wanted = value[lang];
      if (wanted !== undefined) return wanted;
      if (lang !== 'fr' && value.fr !== undefined) fallback.push(path);
      return value.fr ?? null;
    }
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = k === '_attachments' ? v : walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  };
  const out = walk(doc, '') as T & { _lang: Language; _fallback: string[] };
  out._lang = lang;
  out._fallback = fallback;
  return out;
}
