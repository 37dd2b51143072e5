import type { Language, Text } from './common.js';

/** The text in the wanted language, or French, and which language was used (so the UI can show the fallback). */
export function pickText(text: Text | undefined, lang: Language): { value: string; lang: Language } {
  if (!text) return { value: '', lang: 'fr' };
  const value = text[lang];
  if (value) return { value, lang };
  return { value: text.fr, lang: 'fr' };
}
