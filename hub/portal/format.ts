import type { Language } from '../../content/index.js';

/** Mali runs on UTC all year; dates read the way they are written there. */
export const TIME_ZONE = 'Africa/Bamako';

/*
 * Dates and numbers are written by hand rather than through Intl: the first Intl.DateTimeFormat
 * or Intl.NumberFormat makes the hub touch ~4 MB of the node binary's ICU data, which then stays
 * resident (issue 18, point 4). The output is byte for byte what Intl gives for fr-ML and bm-ML
 * (snk reads French dates): tests/unit/hub/portal/format.test.ts compares both over many values.
 */
interface DateWords {
  months: readonly string[];
  shortMonths: readonly string[];
  /** Sunday first, as Date.getUTCDay counts. */
  weekdays: readonly string[];
  /** Between the day and the time in `dateTime`. */
  at: string;
}

const FRENCH: DateWords = {
  months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  shortMonths: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  weekdays: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  at: ' à ',
};
const BAMBARA: DateWords = {
  months: ['zanwuye', 'feburuye', 'marisi', 'awirili', 'mɛ', 'zuwɛn', 'zuluye', 'uti', 'sɛtanburu', 'ɔkutɔburu', 'nowanburu', 'desanburu'],
  shortMonths: ['zan', 'feb', 'mar', 'awi', 'mɛ', 'zuw', 'zul', 'uti', 'sɛt', 'ɔku', 'now', 'des'],
  weekdays: ['kari', 'ntɛnɛ', 'tarata', 'araba', 'alamisa', 'juma', 'sibiri'],
  at: ' ',
};
const DATE_WORDS: Record<Language, DateWords> = { fr: FRENCH, bm: BAMBARA, snk: FRENCH };

export interface Formats {
  date(iso: string | Date): string;
  dateTime(iso: string | Date): string;
  dayMonth(iso: string | Date): string;
  time(d: Date): string;
  number(n: number, digits?: number): string;
  bytes(n: number): string;
}

/** French digit grouping: a narrow no-break space every three digits, a decimal comma. */
const FRENCH_NUMBERS = { group: '\u202f', decimal: ',' };
/** What ICU gives bm-ML (the messages' `#` in Bambara): 12,345.5. */
const BAMBARA_NUMBERS = { group: ',', decimal: '.' };

/**
 * Numbers follow French conventions in Mali whatever the language: 12 345,6 — at most `digits`
 * decimals, rounded half away from zero on the number's shortest decimal form, as Intl does.
 */
export function number(n: number, digits = 0): string {
  return written(n, digits, FRENCH_NUMBERS);
}

/** A number as Intl.NumberFormat(locale) writes it with its defaults (the messages' `#`). */
export function messageNumber(locale: string, n: number): string {
  return written(n, 3, locale.startsWith('bm') ? BAMBARA_NUMBERS : FRENCH_NUMBERS);
}

function written(n: number, digits: number, symbols: { group: string; decimal: string }): string {
  // Beyond 2^53 or not finite, a hand-written form would drift from Intl's: none reach a page.
  if (!Number.isFinite(n) || Math.abs(n) >= Number.MAX_SAFE_INTEGER / 10 ** digits) return String(n);
  const negative = n < 0 || Object.is(n, -0);
  const abs = Math.abs(n);
  // Rounding the shortest decimal form (String's), not the binary value. Below 1e-6, String()
  // writes an exponent, and the number rounds to 0 whatever `digits`.
  let scaled = 0;
  if (abs >= 1e-6) {
    const [int = '0', frac = ''] = String(abs).split('.');
    scaled = Number(int + frac.slice(0, digits).padEnd(digits, '0')) + ((frac[digits] ?? '0') >= '5' ? 1 : 0);
  }
  const whole = String(Math.floor(scaled / 10 ** digits));
  const fraction = String(scaled % 10 ** digits)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, symbols.group);
  return `${negative ? '-' : ''}${grouped}${fraction ? `${symbols.decimal}${fraction}` : ''}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** As Intl: an invalid date throws rather than printing NaN. */
function utc(iso: string | Date): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError('Invalid time value');
  return d;
}

export function formatsFor(lang: Language): Formats {
  const w = DATE_WORDS[lang];
  const hm = (date: Date) => {
    const d = utc(date);
    return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  };
  const dayMonthLong = (d: Date) => `${w.weekdays[d.getUTCDay()]} ${d.getUTCDate()} ${w.months[d.getUTCMonth()]}`;
  return {
    date: (iso) => {
      const d = utc(iso);
      return `${dayMonthLong(d)} ${d.getUTCFullYear()}`;
    },
    dateTime: (iso) => {
      const d = utc(iso);
      return `${dayMonthLong(d)}${w.at}${hm(d)}`;
    },
    dayMonth: (iso) => {
      const d = utc(iso);
      return `${d.getUTCDate()} ${w.shortMonths[d.getUTCMonth()]}`;
    },
    time: hm,
    number,
    bytes: (n) => (n >= 1e6 ? `${number(n / 1e6, 1)} Mo` : `${number(Math.ceil(n / 1e3))} Ko`),
  };
}

/**
 * Cardinal plural categories as Intl.PluralRules gives them for fr-ML (CLDR: one for 0 ≤ n < 2,
 * many for whole millions) and bm-ML (other only), for the portal's messages.
 */
export function pluralOf(locale: string, n: number): Intl.LDMLPluralRule {
  if (!locale.startsWith('fr')) return 'other';
  const abs = Math.abs(n);
  if (abs < 2) return 'one';
  return Number.isInteger(abs) && abs % 1_000_000 === 0 ? 'many' : 'other';
}
