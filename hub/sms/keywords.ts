/**
 * What a feature phone may send, in French or Bambara, as one word first then its values:
 * `VOTE <code> <n>` (KALATA), `INSCRIPTION <nom> <commune> <métier>` (TOGOSEBEN), `INFO`
 * (KUNNAFONI), `STOP` / `ARRET` (DABILA), `START` (SEGIN). Case, accents and Bambara's
 * special letters are folded, so "arrêt", "Arret" and "ARRET" are one word.
 */
export type SmsLang = 'fr' | 'bm';

export type SmsCommand =
  | { kind: 'vote'; lang: SmsLang; code: string; choice: number }
  | { kind: 'vote-malformed'; lang: SmsLang }
  | { kind: 'registration'; lang: SmsLang; words: string[] }
  | { kind: 'registration-malformed'; lang: SmsLang }
  | { kind: 'info'; lang: SmsLang }
  | { kind: 'stop'; lang: SmsLang }
  | { kind: 'start'; lang: SmsLang }
  | { kind: 'other'; lang: SmsLang };

const KEYWORDS: Record<string, { kind: 'vote' | 'registration' | 'info' | 'stop' | 'start'; lang: SmsLang }> = {
  VOTE: { kind: 'vote', lang: 'fr' },
  VOTER: { kind: 'vote', lang: 'fr' },
  KALATA: { kind: 'vote', lang: 'bm' },
  INSCRIPTION: { kind: 'registration', lang: 'fr' },
  INSCRIRE: { kind: 'registration', lang: 'fr' },
  TOGOSEBEN: { kind: 'registration', lang: 'bm' },
  INFO: { kind: 'info', lang: 'fr' },
  INFOS: { kind: 'info', lang: 'fr' },
  AIDE: { kind: 'info', lang: 'fr' },
  KUNNAFONI: { kind: 'info', lang: 'bm' },
  STOP: { kind: 'stop', lang: 'fr' },
  ARRET: { kind: 'stop', lang: 'fr' },
  ARRETER: { kind: 'stop', lang: 'fr' },
  DABILA: { kind: 'stop', lang: 'bm' },
  START: { kind: 'start', lang: 'fr' },
  REPRENDRE: { kind: 'start', lang: 'fr' },
  SEGIN: { kind: 'start', lang: 'bm' },
};

/** Upper case, no accents, Bambara's ɛ ɔ ɲ ŋ as e o ny ng, single spaces. */
export function foldSms(text: string): string {
  return text
    .replace(/[ɛƐ]/g, 'e')
    .replace(/[ɔƆ]/g, 'o')
    .replace(/[ɲƝ]/g, 'ny')
    .replace(/[ŋŊ]/g, 'ng')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits the original text into words, keeping the person's own spelling of names. */
function originalWords(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function parseSms(text: string): SmsCommand {
  const folded = foldSms(text).split(' ').filter(Boolean);
  const first = folded[0] ?? '';
  const known = KEYWORDS[first];
  // A message in Bambara letters is answered in Bambara even when its first word is not a keyword.
  const lang: SmsLang = known?.lang ?? (/[ɛɔɲŋƐƆƝŊ]/.test(text) ? 'bm' : 'fr');
  if (!known) return { kind: 'other', lang };
  switch (known.kind) {
    case 'vote': {
      // "VOTE PDESC 2", also "VOTE PDESC2" and "VOTE PDESC N°2".
      const rest = folded
        .slice(1)
        .join(' ')
        .replace(/\bN ?O?\s*(\d)/, '$1');
      const m = /^([A-Z0-9-]+?)\s*(\d{1,2})$/.exec(rest);
      if (!m) return { kind: 'vote-malformed', lang };
      return { kind: 'vote', lang, code: m[1]!.replace(/-/g, ''), choice: Number(m[2]) };
    }
    case 'registration': {
      const words = originalWords(text).slice(1);
      return words.length >= 3 ? { kind: 'registration', lang, words } : { kind: 'registration-malformed', lang };
    }
    default:
      return folded.length === 1 ? { kind: known.kind, lang } : known.kind === 'info' ? { kind: 'info', lang } : { kind: known.kind, lang };
  }
}
