import { z } from 'zod';
import { itemsOf, LANGUAGES, type ContentType, type Language, type VoiceItem } from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import { narrowWith, type Database } from '../storage/index.js';

/** The content types whose texts visitors meet and the studio offers, with the portal section showing them. */
const TYPE_SECTION: Partial<Record<ContentType, string>> = {
  course: 'apprendre',
  lesson: 'apprendre',
  quiz: 'apprendre',
  consultation: 'participer',
  announcement: 'accueil',
  event: 'agenda',
  official: 'elus',
  organisation: 'organisations',
};

/** Interface messages by key prefix → the section that shows them; the rest are on every page. */
const MESSAGE_SECTION: Record<string, string> = {
  learn: 'apprendre',
  category: 'apprendre',
  participate: 'participer',
  register: 'inscription',
  form: 'inscription',
  officials: 'elus',
  role: 'elus',
  orgs: 'organisations',
  orgKind: 'organisations',
  domain: 'organisations',
  inform: 'sinformer',
  kind: 'sinformer',
  agenda: 'agenda',
  eventKind: 'agenda',
  home: 'accueil',
  search: 'recherche',
  offline: 'hors-ligne',
  welcome: 'bienvenue',
  lang: 'langue',
  kiosk: 'kiosk',
};

/** What the studio needs of the interface's messages (the portal's Messages). */
export interface InterfaceMessages {
  frenchKeys(): string[];
  source(lang: Language, key: string): string | undefined;
  recording(lang: Language, key: string): string | undefined;
}

/** What the studio needs of the hub's static voice files (a shipped recording per language and key). */
export interface ShippedVoices {
  has(name: string): boolean;
  url(name: string): string;
}

export interface StudioItem extends VoiceItem {
  /** The portal section where visitors meet it ("*" for every page). */
  section: string;
  /** How often visitors meet it: the views of its section in the hub's usage counts. */
  weight: number;
}

export interface ItemState {
  text: boolean;
  /** A recording by a person in that language (for French: not the synthetic one). */
  voice: boolean;
}

/** A day's usage doc: its page views per section. */
const USAGE_VIEWS = narrowWith(z.looseObject({ pageViews: z.record(z.string(), z.number()).optional() }));

/** The hub's usage counts (last 30 days) per section, and all page views for what every page shows. */
export async function sectionViews(submissions: Database, hubId: string, now = new Date()): Promise<Map<string, number>> {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const res = await submissions.allDocs({ startkey: `${hubId}:usage:${since}`, endkey: `${hubId}:usage:\ufff0`, include_docs: true });
  const views = new Map<string, number>();
  let all = 0;
  for (const row of res.rows) {
    const pv = USAGE_VIEWS(row.doc)?.pageViews ?? {};
    for (const [section, n] of Object.entries(pv)) {
      views.set(section, (views.get(section) ?? 0) + n);
      all += n;
    }
  }
  views.set('*', all);
  return views;
}

/**
 * Every item of the interface and of the content, ordered by how often visitors meet it.
 * Built once per content generation and translations version (10 000 docs: see the bench).
 */
export class StudioItems {
  private cached: { key: string; items: StudioItem[] } | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly messages: InterfaceMessages,
    private readonly shipped: ShippedVoices
  ) {}

  async all(views: Map<string, number>): Promise<StudioItem[]> {
    await this.catalog.translations.ready();
    const key = `${this.catalog.generation} ${this.catalog.translations.version} ${[...views].join()}`;
    if (this.cached?.key === key) return this.cached.items;
    const items: StudioItem[] = [];
    for (const k of this.messages.frenchKeys()) {
      const prefix = k.split('.', 1)[0]!;
      const section = MESSAGE_SECTION[prefix] ?? '*';
      const text: Record<string, string> = { fr: this.messages.source('fr', k)! };
      const audio: Record<string, string> = {};
      for (const lang of LANGUAGES) {
        const own = lang === 'fr' ? undefined : this.messages.source(lang, k);
        if (own !== undefined) text[lang] = own;
        const rec = this.messages.recording(lang, k);
        if (rec) audio[lang] = rec;
      }
      items.push({ target: `message:${k}`, field: 'text', kind: 'message', text: text as VoiceItem['text'], audio, section, weight: views.get(section) ?? 0 });
    }
    for (const [type, section] of Object.entries(TYPE_SECTION) as [ContentType, string][]) {
      for await (const page of this.catalog.pages(type)) {
        for (const doc of page) {
          for (const item of itemsOf(this.catalog.translations.overlay(doc))) items.push({ ...item, section, weight: views.get(section) ?? 0 });
        }
      }
    }
    items.sort(
      (a, b) => b.weight - a.weight || rank(a) - rank(b) || a.target.localeCompare(b.target) || a.field.localeCompare(b.field, 'en', { numeric: true })
    );
    this.cached = { key, items };
    return items;
  }

  /** Whether an item has its text and a person's voice in a language. */
  state(item: StudioItem, lang: Language): ItemState {
    const own = item.audio?.[lang];
    let voice = own !== undefined && (lang !== 'fr' || this.catalog.translations.isHuman(own));
    // A recording by a person shipped with the hub (static/voice/<lang>/<key>.opus; none is synthetic but French).
    if (!voice && lang !== 'fr' && item.kind === 'message') voice = this.shipped.has(`voice/${lang}/${item.target.slice(8)}.opus`);
    return { text: item.text[lang] !== undefined, voice };
  }

  /** The French recording to play beside the item: a person's, else the synthetic one shipped or in the pack. */
  frenchAudio(item: StudioItem): { url: string; person: boolean } | undefined {
    const fr = item.audio?.fr;
    if (fr) return { url: `/media/${fr}`, person: this.catalog.translations.isHuman(fr) };
    if (item.kind === 'message' && this.shipped.has(`voice/fr/${item.target.slice(8)}.opus`))
      return { url: this.shipped.url(`voice/fr/${item.target.slice(8)}.opus`), person: false };
    return undefined;
  }
}

/** Within the same section: interface first, then titles and questions, then longer texts. */
const KIND_RANK: Record<string, number> = {
  message: 0,
  'course-title': 1,
  'consultation-question': 1,
  'consultation-option': 2,
  'quiz-question': 2,
  'quiz-option': 3,
  'lesson-title': 2,
  'event-title': 2,
  'announcement-title': 2,
  'quiz-title': 2,
  'course-summary': 4,
  'official-presentation': 4,
  'organisation-presentation': 4,
  'announcement-body': 5,
  'lesson-block': 5,
};
const rank = (i: StudioItem) => (i.section === '*' ? -1 : 0) + (KIND_RANK[i.kind] ?? 9);

export interface CoverageFigures {
  lang: Language;
  interface: { total: number; texts: number; voices: number; textPct: number; voicePct: number };
  content: { total: number; texts: number; voices: number; textPct: number; voicePct: number };
}

const pct = (n: number, total: number) => (total ? Math.floor((n / total) * 1000) / 10 : 100);

/** Text and voice coverage per language, for the interface and for the content. */
export function coverageOf(studio: StudioItems, items: readonly StudioItem[]): CoverageFigures[] {
  return LANGUAGES.map((lang) => {
    const f = { interface: { total: 0, texts: 0, voices: 0 }, content: { total: 0, texts: 0, voices: 0 } };
    for (const item of items) {
      const into = item.kind === 'message' ? f.interface : f.content;
      const s = studio.state(item, lang);
      into.total += 1;
      if (s.text) into.texts += 1;
      if (s.voice) into.voices += 1;
    }
    const done = (x: typeof f.interface) => ({ ...x, textPct: pct(x.texts, x.total), voicePct: pct(x.voices, x.total) });
    return { lang, interface: done(f.interface), content: done(f.content) };
  });
}
