import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat, type Formatters } from 'intl-messageformat';
import { LANGUAGES, type Language } from '../../content/index.js';
import { projectRoot } from '../config/index.js';
import { messageNumber, pluralOf } from './format.js';

export type Catalog = Record<string, string>;

/** The interface's languages with the name each has in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', bm: 'Bamanankan', snk: 'Sooninkanxanne' };

/** ICU locale for plural rules and formats; Bambara and Soninké have no CLDR plural data, French rules fit. */
const ICU_LOCALE: Record<Language, string> = { fr: 'fr-ML', bm: 'bm-ML', snk: 'fr-ML' };

/**
 * The messages' `#` and plural choices without Intl (issue 18, point 4: the first
 * Intl.NumberFormat or PluralRules makes the hub touch the binary's ICU data); a number with
 * options, an ordinal or a date (none in the catalogs) still goes to Intl.
 */
const FORMATTERS: Formatters = {
  getNumberFormat: (locales, opts) =>
    (opts && Object.keys(opts).length > 0) || typeof locales !== 'string'
      ? new Intl.NumberFormat(locales, opts)
      : ({ format: (n: number | bigint) => messageNumber(locales, Number(n)) } as Intl.NumberFormat),
  getDateTimeFormat: (...args) => new Intl.DateTimeFormat(...args),
  getPluralRules: (locales, opts) =>
    opts?.type === 'ordinal' || typeof locales !== 'string'
      ? new Intl.PluralRules(locales, opts)
      : ({ select: (n: number) => pluralOf(locales, n) } as Intl.PluralRules),
};

/**
 * Every IntlMessageFormat resolves its locale through ICU when it is made
 * (`Intl.NumberFormat.supportedLocalesOf`, `new Intl.Locale`): the portal's first page made the
 * hub touch 3.7 MB of the binary's ICU data, resident from then on (issue 18, point 4). The
 * resolved locale serves only the parser's date skeletons and `resolvedOptions()`; the
 * messages' formats are FORMATTERS', given the locale as written. So none is resolved.
 */
IntlMessageFormat.resolveLocale = () => undefined;

export function loadCatalogs(dir = join(projectRoot(), 'hub/portal/locales')): Record<Language, Catalog> {
  const out = {} as Record<Language, Catalog>;
  for (const lang of LANGUAGES) {
    const parsed = JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Record<string, unknown>;
    out[lang] = Object.fromEntries(Object.entries(parsed).filter(([k, v]) => !k.startsWith('$') && typeof v === 'string')) as Catalog;
  }
  return out;
}

/**
 * The interface's messages (ICU MessageFormat), French as the reference: a key missing in
 * Bambara or Soninké is shown in French and counted, so coverage is shown honestly.
 */
/** Texts accepted through the studio at central, which win over the catalog files until exported into them. */
export interface MessageOverrides {
  message(lang: Language, key: string): { text?: string; audio?: string } | undefined;
  readonly version: number;
}

export class Messages {
  private readonly compiled = new Map<string, IntlMessageFormat>();
  private readonly coverages = new Map<Language, { version: number; pct: number }>();
  private overrides: MessageOverrides | undefined;

  constructor(private readonly catalogs: Record<Language, Catalog> = loadCatalogs()) {}

  /** Lays the studio's accepted texts over the catalogs (the portal passes the catalog's translations). */
  useOverrides(o: MessageOverrides): void {
    this.overrides = o;
  }

  private own(lang: Language, key: string): string | undefined {
    return this.overrides?.message(lang, key)?.text ?? this.catalogs[lang][key];
  }

  has(lang: Language, key: string): boolean {
    return this.own(lang, key) !== undefined;
  }

  /** The message as written (ICU placeholders and all), in `lang` only; undefined when it lacks it. */
  source(lang: Language, key: string): string | undefined {
    return this.own(lang, key);
  }

  /** The recording of a message a person made through the studio, by media hash. */
  recording(lang: Language, key: string): string | undefined {
    return this.overrides?.message(lang, key)?.audio;
  }

  /** The French catalog's keys (every message the interface has). */
  frenchKeys(): string[] {
    return Object.keys(this.catalogs.fr);
  }

  /** The message in `lang`, or in French; `fellBack` says which. */
  format(lang: Language, key: string, values?: Record<string, string | number>): { text: string; fellBack: boolean } {
    const own = this.own(lang, key);
    const source = own ?? this.catalogs.fr[key];
    if (source === undefined) throw new Error(`portal message "${key}" is missing from the French catalog`);
    const useLang: Language = own !== undefined ? lang : 'fr';
    const cacheKey = `${useLang}\u0000${key}\u0000${source}`;
    let fmt = this.compiled.get(cacheKey);
    if (!fmt) {
      try {
        fmt = new IntlMessageFormat(source, ICU_LOCALE[useLang], undefined, { formatters: FORMATTERS });
      } catch (e) {
        // A studio text central let through with a broken placeholder: the file's own text instead.
        if (own === undefined || own === this.catalogs[lang][key]) throw e;
        const file = this.catalogs[lang][key] ?? this.catalogs.fr[key]!;
        return {
          text: String(new IntlMessageFormat(file, ICU_LOCALE[useLang], undefined, { formatters: FORMATTERS }).format(values)),
          fellBack: this.catalogs[lang][key] === undefined && lang !== 'fr',
        };
      }
      this.compiled.set(cacheKey, fmt);
    }
    return { text: String(fmt.format(values)), fellBack: own === undefined && lang !== 'fr' };
  }

  t(lang: Language, key: string, values?: Record<string, string | number>): string {
    return this.format(lang, key, values).text;
  }

  /** Share of the French keys that `lang` translates, in whole percent. */
  coverage(lang: Language): number {
    const version = this.overrides?.version ?? 0;
    let known = this.coverages.get(lang);
    if (known === undefined || known.version !== version) {
      const keys = Object.keys(this.catalogs.fr);
      const have = keys.filter((k) => this.own(lang, k) !== undefined).length;
      known = { version, pct: Math.floor((have / keys.length) * 100) };
      this.coverages.set(lang, known);
    }
    return known.pct;
  }

  keys(lang: Language): string[] {
    return Object.keys(this.catalogs[lang]);
  }
}
