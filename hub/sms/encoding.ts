/**
 * How an SMS is encoded and split, as the modem does it (3GPP TS 23.038 / 23.040):
 * text made only of the GSM 7-bit alphabet goes as GSM-7 (160 characters in one SMS, 153 per
 * part of a long one; the extension characters take two); anything else — Bambara's ɛ ɔ ɲ ŋ,
 * but also French ê â î ô û ç ë ï — makes the whole message UCS-2 (70 characters, 67 per part).
 * An operator bills each part, so the part count is the cost.
 */

const GSM7_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsLength {
  encoding: SmsEncoding;
  /** Parts the operator bills. */
  parts: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) used. */
  units: number;
  /** Units a single SMS holds in this encoding (160 or 70). */
  perSingle: number;
  /** Characters that force UCS-2, each once, in order of appearance (empty for GSM-7). */
  forcing: string[];
  /** The text as the parts carry it. */
  segments: string[];
}

/** Septets one character takes in GSM-7, or 0 when it is not in the alphabet. */
function septets(ch: string): number {
  if (basic.has(ch)) return 1;
  if (extended.has(ch)) return 2;
  return 0;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (septets(ch) === 0) return false;
  return true;
}

/** Splits greedily without cutting an escape pair (GSM-7) or a surrogate pair (UCS-2), as phones reassemble them. */
function split(chars: string[], size: (ch: string) => number, perPart: number): string[] {
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of chars) {
    const n = size(ch);
    if (used + n > perPart) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += n;
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}

/** Encoding, parts and the characters to blame, for a text as the modem would send it. */
export function measureSms(text: string): SmsLength {
  const chars = Array.from(text); // by code point, as the GSM alphabet counts
  const forcing = [...new Set(chars.filter((ch) => septets(ch) === 0))];
  if (forcing.length === 0) {
    const units = chars.reduce((n, ch) => n + septets(ch), 0);
    const segments = units <= 160 ? [text] : split(chars, septets, 153);
    return { encoding: 'gsm7', parts: segments.length, units, perSingle: 160, forcing, segments };
  }
  const units = text.length;
  const segments = units <= 70 ? [text] : split(chars, (ch) => ch.length, 67);
  return { encoding: 'ucs2', parts: segments.length, units, perSingle: 70, forcing, segments };
}
