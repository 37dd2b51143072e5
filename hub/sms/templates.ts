import { isGsm7, measureSms, type SmsEncoding } from './encoding.js';
import type { SmsLang } from './keywords.js';

/**
 * Every SMS the hub writes, in French and Bambara. A value is cut to its maximum length, so
 * a template's worst case is known and the console shows what each costs. French texts avoid
 * ê â î ô û ç (they would make the whole SMS UCS-2: 70 characters instead of 160) and values
 * put into them are folded to the GSM alphabet; Bambara needs ɛ ɔ ɲ ŋ, so it is UCS-2 and its
 * templates are kept short. The Bambara texts are to be checked by the programme's speakers.
 */
const LIMITS = {
  space: 30,
  code: 12,
  option: 2,
  max: 2,
  choice: 3,
  name: 30,
  word: 20,
  date: 10,
  time: 5,
  title: 50,
  place: 30,
  trade: 26,
  deadline: 10,
  question: 60,
  choices: 24,
  official: 30,
  codes: 30,
  communes: 48,
} as const;
type Field = keyof typeof LIMITS;

interface Template {
  /** What the console calls it. */
  label: string;
  /** Sent in answer to an SMS (goes even in quiet hours) or as a notice (waits for the day). */
  reply: boolean;
  fr: string;
  bm: string;
}

export const TEMPLATES = {
  'vote-ok': {
    label: 'Vote compté',
    reply: true,
    fr: 'Merci ! Votre vote {option} pour {code} est compté. {space}',
    bm: 'I ni ce! I ka kalata {option} sɔrɔla {code} la. {space}',
  },
  'vote-already': {
    label: 'Déjà voté',
    reply: true,
    fr: 'Vous avez déjà voté pour {code} : un seul vote par numéro.',
    bm: 'I ye kalata kɛ {code} la ka ban: nimɔrɔ kelen, kalata kelen.',
  },
  'vote-closed': {
    label: 'Consultation fermée',
    reply: true,
    fr: "La consultation {code} est fermée : votre vote n'est pas compté.",
    bm: '{code} kalata datugura: i ka kalata ma jate.',
  },
  'vote-not-open': {
    label: 'Consultation pas encore ouverte',
    reply: true,
    fr: 'La consultation {code} ouvre le {date}. Renvoyez votre vote ce jour-là.',
    bm: '{code} kalata bɛ daminɛ {date}. I ka kalata ci o don.',
  },
  'vote-unknown': {
    label: 'Code de vote inconnu',
    reply: true,
    fr: 'Code inconnu : {code}. Envoyez INFO pour la liste des consultations.',
    bm: '{code} tɛ yen. KUNNAFONI ci ka kalataw lajɛ.',
  },
  'vote-bad-choice': {
    label: 'Choix de vote inconnu',
    reply: true,
    fr: 'Choix {choice} inconnu pour {code} : répondez de 1 à {max}.',
    bm: '{choice} tɛ {code} la: 1 ka se {max} ma.',
  },
  'vote-malformed': {
    label: 'Vote mal écrit',
    reply: true,
    fr: 'Pour voter : VOTE CODE NUMERO, par ex. VOTE PDESC 2',
    bm: "Kalata: KALATA KODI NIMƆRƆ, i n'a fɔ KALATA PDESC 2",
  },
  'registration-ok': {
    label: 'Inscription reçue',
    reply: true,
    fr: "Merci {name} ! Votre inscription attend l'accord de l'animatrice de {space}, qui vous appellera.",
    bm: 'I ni ce {name}! {space} ka baarakɛla bɛna i wele.',
  },
  'registration-malformed': {
    label: 'Inscription mal écrite',
    reply: true,
    fr: 'Pour vous inscrire : INSCRIPTION Nom Commune Metier, par ex. INSCRIPTION Awa Diarra Kayes teinture',
    bm: "TOGOSEBEN Tɔgɔ Komini Baara, i n'a fɔ TOGOSEBEN Awa Diarra Kayes gala",
  },
  'registration-unknown-commune': {
    label: 'Inscription : commune inconnue',
    reply: true,
    fr: 'Commune inconnue : {word}. Ecrivez une de : {communes}',
    bm: 'Komini {word} tɛ yen. Nin dɔ sɛbɛn: {communes}',
  },
  'registration-unknown-trade': {
    label: 'Inscription : métier inconnu',
    reply: true,
    fr: 'Metier inconnu : {word}. Ex. : teinture, cuir, bois, forge, bijou, poterie, savon, coiffure',
    bm: 'Baara {word} tɛ yen. Misali: gala, wolo, jiri, numu, sanu, daga',
  },
  info: {
    label: 'Informations (INFO)',
    reply: true,
    fr: '{space} : VOTE CODE N pour voter ({codes}). INSCRIPTION Nom Commune Metier. STOP : plus de SMS.',
    bm: '{space}: KALATA KODI N ({codes}). TOGOSEBEN Tɔgɔ Komini Baara. DABILA.',
  },
  'stop-ok': {
    label: 'Désabonnement (STOP)',
    reply: true,
    fr: 'Vous ne recevrez plus de SMS de {space}. Envoyez START pour reprendre.',
    bm: '{space} tɛna SMS ci i ma tugun. SEGIN ci ka segin.',
  },
  'start-ok': {
    label: 'Réabonnement (START)',
    reply: true,
    fr: 'Vous recevrez de nouveau les SMS de {space}. STOP pour ne plus les recevoir.',
    bm: '{space} bɛna SMS ci i ma tugun. DABILA ci ka u dabila.',
  },
  reminder: {
    label: "Rappel d'événement (la veille)",
    reply: false,
    fr: 'Rappel : {title} demain a {time}, {place}. {space}. STOP : plus de SMS',
    bm: 'Hakili jigin: {title} sini {time}, {place}. DABILA',
  },
  opportunity: {
    label: 'Nouvelle opportunité',
    reply: false,
    fr: 'Opportunite {trade} : {title}. Avant le {deadline}. Details a {space}. STOP : plus de SMS',
    bm: 'Sababu {trade}: {title}. {deadline} ɲɛ. {space}. DABILA',
  },
  'consultation-open': {
    label: 'Ouverture de consultation',
    reply: false,
    fr: 'Donnez votre avis : {question} Envoyez VOTE {code} et le numero ({choices}). STOP : plus de SMS',
    bm: 'I hakilina: {question} KALATA {code} ni nimɔrɔ ci ({choices}). DABILA',
  },
  'answer-notice': {
    label: "Réponse d'un élu",
    reply: false,
    fr: '{official} a répondu à votre message. Ecoutez la réponse à {space}. STOP : plus de SMS',
    bm: '{official} ye i ka cikan jaabi. A lamɛn {space}. DABILA',
  },
} as const satisfies Record<string, Template>;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateValues = Partial<Record<Field, string | number>>;

/** Letters outside the GSM alphabet written the nearest way inside it (for French messages). */
function toGsm(value: string): string {
  const folded = value
    .replace(/[ɛƐ]/g, (c) => (c === 'ɛ' ? 'e' : 'E'))
    .replace(/[ɔƆ]/g, (c) => (c === 'ɔ' ? 'o' : 'O'))
    .replace(/ɲ/g, 'ny')
    .replace(/ŋ/g, 'ng')
    .replace(/[’‘]/g, "'")
    .replace(/[«»“”]/g, '"')
    .replace(/[–—]/g, '-');
  let out = '';
  for (const ch of folded) {
    if (isGsm7(ch)) out += ch;
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += isGsm7(bare) ? bare : '?';
    }
  }
  return out;
}

function cut(value: string, max: number): string {
  const chars = Array.from(value.replace(/\s+/g, ' ').trim());
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}.`;
}

export function renderTemplate(name: TemplateName, lang: SmsLang, values: TemplateValues): string {
  const template: string = TEMPLATES[name][lang];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    // The key is whatever the template's text names: maybe no field at all.
    const max = Object.hasOwn(LIMITS, key) ? LIMITS[key as Field] : undefined;
    if (max === undefined) throw new Error(`template ${name} names an unknown field {${key}}`);
    const raw = cut(String(values[key as Field] ?? ''), max);
    return lang === 'fr' ? toGsm(raw) : raw;
  });
}

export interface TemplateCost {
  name: TemplateName;
  label: string;
  lang: SmsLang;
  text: string;
  encoding: SmsEncoding;
  /** Parts with every value at its longest. */
  parts: number;
  cost: number;
}

/** What each template costs at worst (every value at its longest), per language. */
export function templateCosts(costPerPart: number): TemplateCost[] {
  const longest = Object.fromEntries(Object.entries(LIMITS).map(([k, n]) => [k, 'x'.repeat(n)])) as TemplateValues;
  const out: TemplateCost[] = [];
  for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
    for (const lang of ['fr', 'bm'] as const) {
      const m = measureSms(renderTemplate(name, lang, longest));
      out.push({ name, label: TEMPLATES[name].label, lang, text: TEMPLATES[name][lang], encoding: m.encoding, parts: m.parts, cost: m.parts * costPerPart });
    }
  }
  return out;
}
