import type { Language } from '../../content/index.js';

/** Mali runs on UTC all year; dates read the way they are written there. */
export const TIME_ZONE = 'Africa/Bamako';

const DATE_LOCALE: Record<Language, string> = { fr: 'fr-ML', bm: 'bm-ML', snk: 'fr-ML' };
const cache = new Map<string, Intl.DateTimeFormat>();

function dtf(lang: Language, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(DATE_LOCALE[lang], { ...opts, timeZone: TIME_ZONE });
    cache.set(key, f);
  }
  return f;
}

export interface Formats {
  date(iso: string | Date): string;
  dateTime(iso: string | Date): string;
  dayMonth(iso: string | Date): string;
  time(d: Date): string;
  number(n: number, digits?: number): string;
  bytes(n: number): string;
}

const numbers = new Map<number, Intl.NumberFormat>();
function number(n: number, digits = 0): string {
  let f = numbers.get(digits);
  if (!f) {
    // Numbers follow French conventions in Mali whatever the language: 12 345,6
    f = new Intl.NumberFormat('fr-ML', { maximumFractionDigits: digits });
    numbers.set(digits, f);
  }
  return f.format(n);
}

export function formatsFor(lang: Language): Formats {
  return {
    date: (d) => dtf(lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(d)),
    dateTime: (d) => dtf(lang, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(d)),
    dayMonth: (d) => dtf(lang, { day: 'numeric', month: 'short' }).format(new Date(d)),
    time: (d) => dtf(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d),
    number,
    bytes: (n) => (n >= 1e6 ? `${number(n / 1e6, 1)} Mo` : `${number(Math.ceil(n / 1e3))} Ko`),
  };
}
