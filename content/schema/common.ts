import { z } from 'zod';

/** Languages the product speaks. French is the reference: every text has it. */
export const LANGUAGES = ['fr', 'bm', 'snk'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const SEXES = ['F', 'M'] as const;
export const Sex = z.enum(SEXES, { message: 'sex must be "F" (femme) or "M" (homme)' });
export type Sex = z.infer<typeof Sex>;

/** Age bands used in every disaggregation; young people are 15–35 (the programmes' definition). */
export const AGE_BANDS = ['0-14', '15-24', '25-35', '36-59', '60+'] as const;
export const AgeBand = z.enum(AGE_BANDS, { message: `ageBand must be one of ${AGE_BANDS.join(', ')}` });
export type AgeBand = z.infer<typeof AgeBand>;
export const YOUTH_BANDS: readonly AgeBand[] = ['15-24', '25-35'];

export const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lowercase hex (64 characters, for example "9f86d0…")');

const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const Slug = z.string().regex(slugPattern, 'must be a slug: lowercase letters, digits and dashes, for example "kayes-commune"');

export const HubId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2–40 lowercase letters, digits or dashes, for example "kayes-01"');

/** Multilingual text: French required, Bambara and Soninké optional. */
export const Text = z.object(
  {
    fr: z.string().trim().min(1, 'French text (fr) cannot be empty').max(20_000),
    bm: z.string().trim().min(1).max(20_000).optional(),
    snk: z.string().trim().min(1).max(20_000).optional(),
  },
  { message: 'must be a text object with at least a French version, for example { "fr": "Bonjour" }' },
).strict();
export type Text = z.infer<typeof Text>;

/** Recorded narration for a text, per language, referenced by media hash. */
export const Audio = z
  .object({ fr: Sha256.optional(), bm: Sha256.optional(), snk: Sha256.optional() })
  .strict();
export type Audio = z.infer<typeof Audio>;

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-11-22"');
export const IsoDateTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be a date and time like "2026-11-22T09:00:00Z"',
  });

/** Who a content doc is for; a hub pulls what names it, its commune, its region, or all. */
export const Audience = z
  .object({
    all: z.boolean().optional(),
    regions: z.array(Slug).max(50).optional(),
    communes: z.array(Slug).max(500).optional(),
    hubs: z.array(HubId).max(5000).optional(),
  })
  .strict()
  .refine((a) => a.all === true || (a.regions?.length ?? 0) + (a.communes?.length ?? 0) + (a.hubs?.length ?? 0) > 0, {
    message: 'audience must be { "all": true } or name at least one region, commune or hub',
  });
export type Audience = z.infer<typeof Audience>;

export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ]{8,16}$/, 'must be a phone number like "+223 76 12 34 56"');
