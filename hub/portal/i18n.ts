import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { LANGUAGES, type Language } from '../../content/index.js';
import { projectRoot } from '../config/index.js';

export type Catalog = Record<string, string>;

/** The interface's languages with the name each has in itself, for the picker. */
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', bm: 'Bamanankan', snk: 'Sooninkanxanne' };

/** ICU locale for plural rules and formats; Bambara and Soninké have no CLDR plural data, French rules fit. */
const ICU_LOCALE: Record<Language, string> = { fr: 'fr-ML', bm: 'bm-ML', snk: 'fr-ML' };

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
export class Messages {
  private readonly compiled = new Map<string, IntlMessageFormat>();
  private readonly coverages = new Map<Language, number>();

  constructor(private readonly catalogs: Record<Language, Catalog> = loadCatalogs()) {}

  has(lang: Language, key: string): boolean {
    return this.catalogs[lang][key] !== undefined;
  }

  /** The message in `lang`, or in French; `fellBack` says which. */
  format(lang: Language, key: string, values?: Record<string, string | number>): { text: string; fellBack: boolean } {
    const own = this.catalogs[lang][key];
    const source = own ?? this.catalogs.fr[key];
    if (source === undefined) throw new Error(`portal message "${key}" is missing from the French catalog`);
    const useLang: Language = own !== undefined ? lang : 'fr';
    const cacheKey = `${useLang}\u0000${key}`;
    let fmt = this.compiled.get(cacheKey);
    if (!fmt) {
      fmt = new IntlMessageFormat(source, ICU_LOCALE[useLang]);
      this.compiled.set(cacheKey, fmt);
    }
    return { text: String(fmt.format(values)), fellBack: own === undefined && lang !== 'fr' };
  }

  t(lang: Language, key: string, values?: Record<string, string | number>): string {
    return this.format(lang, key, values).text;
  }

  /** Share of the French keys that `lang` translates, in whole percent. */
  coverage(lang: Language): number {
    let pct = this.coverages.get(lang);
    if (pct === undefined) {
      const keys = Object.keys(this.catalogs.fr);
      const have = keys.filter((k) => this.catalogs[lang][k] !== undefined).length;
      pct = Math.floor((have / keys.length) * 100);
      this.coverages.set(lang, pct);
    }
    return pct;
  }

  keys(lang: Language): string[] {
    return Object.keys(this.catalogs[lang]);
  }
}
