import { z } from 'zod';
import { Audience, IsoDate, IsoDateTime, Language, PhoneNumber, Slug, Text } from './common.js';

/**
 * The artisans' federation's trade groups (FNAM "corps de métiers"), as members pick them at
 * registration and opportunities name them. `words` are what a person may write in an SMS, in
 * French and Bambara, without accents and in capitals (the parser folds the message the same way).
 */
export const TRADES = {
  'textile-teinture': {
    fr: 'Textile et teinture',
    bm: 'Fini ni gala',
    words: ['TEXTILE', 'TEINTURE', 'TEINTURIERE', 'TISSAGE', 'COUTURE', 'GALA', 'FINI', 'BAZIN'],
  },
  cuir: { fr: 'Cuir', bm: 'Wolo baara', words: ['CUIR', 'MAROQUINERIE', 'CORDONNIER', 'WOLO', 'GARANKE'] },
  bois: { fr: 'Bois', bm: 'Jiri baara', words: ['BOIS', 'MENUISIER', 'MENUISERIE', 'SCULPTURE', 'JIRI', 'KULE'] },
  'metal-forge': { fr: 'Métal et forge', bm: 'Numuya', words: ['METAL', 'FORGE', 'FORGERON', 'SOUDURE', 'SOUDEUR', 'NUMU', 'NUMUYA'] },
  bijouterie: { fr: 'Bijouterie', bm: 'Sanu baara', words: ['BIJOU', 'BIJOUX', 'BIJOUTERIE', 'BIJOUTIER', 'SANU'] },
  poterie: { fr: 'Poterie', bm: 'Daga dilan', words: ['POTERIE', 'POTIERE', 'POTIER', 'CERAMIQUE', 'DAGA'] },
  'transformation-alimentaire': {
    fr: 'Transformation alimentaire',
    bm: 'Dumuni labɛn',
    words: ['TRANSFORMATION', 'ALIMENTAIRE', 'AGRO', 'SAVON', 'KARITE', 'DUMUNI'],
  },
  coiffure: { fr: 'Coiffure', bm: 'Kun dilan', words: ['COIFFURE', 'COIFFEUSE', 'COIFFEUR', 'TRESSE', 'KUNSI'] },
} as const;
export type TradeSlug = keyof typeof TRADES;
export const TRADE_SLUGS = Object.keys(TRADES) as [TradeSlug, ...TradeSlug[]];
const TRADE_NAMES = new Map<string, { fr: string; bm: string }>(Object.entries(TRADES));
/** A trade's name in French or Bambara, or the slug itself when it names no trade (an old doc, an SMS typed by hand). */
export function tradeName(slug: string, lang: 'fr' | 'bm' = 'fr'): string {
  return TRADE_NAMES.get(slug)?.[lang] ?? slug;
}
export const Trade = z.enum(TRADE_SLUGS, { error: `trade must be one of ${TRADE_SLUGS.join(', ')}` });

export const OPPORTUNITY_KINDS = ['formation', 'foire-marche', 'appel-offres', 'equipement', 'emploi-apprentissage', 'reseautage'] as const;
export const OpportunityKind = z.enum(OPPORTUNITY_KINDS, { error: `kind must be one of ${OPPORTUNITY_KINDS.join(', ')}` });
/** Who may apply when it is not everyone: women, young people (15–35). */
export const OPPORTUNITY_FOR = ['femmes', 'jeunes'] as const;

/**
 * An economic opportunity for artisans: a training, a fair or market, a call for tenders,
 * equipment, a job or apprenticeship, a networking event. Published from central (the
 * federation), or by a space's facilitator for a local one (id "opportunity:<hubId>-…").
 * No trade means every trade; no commune means every commune of its audience.
 */
export const Opportunity = z
  .object({
    _id: z.string().regex(/^opportunity:[a-z0-9][a-z0-9-]{0,80}$/, '_id must look like "opportunity:some-slug"'),
    _rev: z.string().optional(),
    type: z.literal('opportunity'),
    audience: Audience,
    languages: z.array(Language).min(1).optional(),
    pack: z.string().optional(),
    updatedAt: IsoDateTime.optional(),
    sample: z.boolean().optional(),
    kind: OpportunityKind,
    title: Text,
    summary: Text,
    body: Text.optional(),
    trades: z.array(Trade).max(TRADE_SLUGS.length).default([]),
    communes: z.array(Slug).max(100).default([]),
    /** When it takes place (a fair, a training), if it has dates. */
    startsAt: IsoDateTime.optional(),
    endsAt: IsoDateTime.optional(),
    /** Last day to apply or respond. */
    deadline: IsoDate.optional(),
    for: z.array(z.enum(OPPORTUNITY_FOR)).max(2).default([]),
    howToRespond: Text,
    contact: z
      .object({ phone: PhoneNumber.optional(), place: z.string().trim().max(200).optional() })
      .strict()
      .default({}),
    /** Who published it, as shown to visitors: "FNAM", "Chambre des métiers de Kayes", the space's name. */
    publisher: z.string().trim().min(2).max(120),
    publishedAt: IsoDateTime,
  })
  .strict()
  .refine(
    function (o) {
      return !o.startsAt || !o.endsAt || Date.parse(o.endsAt) >= Date.parse(o.startsAt);
    },
    { error: 'endsAt must not come before startsAt', path: ['endsAt'] }
  );
export type Opportunity = z.infer<typeof Opportunity>;
