import { z } from 'zod';

import { LANGUAGES } from './names.js';

export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const SEXES = ['F', 'M'] as const;
export const Sex = z.enum(SEXES, { error: 'sex must be "F" (femme) or "M" (homme)' });
export type Sex = z.infer<typeof Sex>;

/** Age bands used in every disaggregation; young people are 15–35 (the programmes' definition). */
export const AGE_BANDS = ['0-14', '15-24', '25-35', '36-59', '60+'] as const;
export const AgeBand = z.enum(AGE_BANDS, { error: `ageBand must be one of ${AGE_BANDS.join(', ')}` });
export type AgeBand = z.infer<typeof AgeBand>;
export const YOUTH_BANDS: readonly AgeBand[] = ['15-24', '25-35'];

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lowercase hex (64 characters, for example "9f86d0…")');

const SHA256 = /^[0-9a-f]{64}$/;
/** Every media file (sha256) a doc names, in any field but CouchDB's own (`_id`, `_attachments`…), added to `into`. */
export function mediaNamedBy(doc: unknown, into = new Set<string>()): Set<string> {
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (SHA256.test(v)) into.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!k.startsWith('_')) walk(x);
  };
  walk(doc);
  return into;
}

const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const Slug = z.string().regex(slugPattern, 'must be a slug: lowercase letters, digits and dashes, for example "kayes-commune"');

export const HubId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2–40 lowercase letters, digits or dashes, for example "kayes-01"');

/**
 * Characters no text of the product may hold: control characters (NUL, escape…; in
 * multi-line text, tab and line breaks are allowed) and the direction overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that make "gro.live" show as "evil.org" in the console, a
 * CSV or a list of members. Refused, not stripped: the writer hears why.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const SAFE_LINE = /^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;
// eslint-disable-next-line no-control-regex -- as above
export const SAFE_TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;
/** Whether a value passes those rules (for forms that say what is wrong in their own words). */
export const isSafeText = (value: string, multiline = false): boolean => (multiline ? SAFE_TEXT : SAFE_LINE).test(value);
export const UNSAFE_TEXT_MESSAGE =
  'must not contain control characters or invisible direction overrides (U+202E and the like); type the text again without them';

/** One line of text (a name, a place, a title): no line break, no control or direction-override character. */
export const Line = (max: number, min = 0, tooShort?: string) =>
  z.string().trim().min(min, tooShort).max(max).regex(SAFE_LINE, `${UNSAFE_TEXT_MESSAGE} (and no line break)`);

/** Text of several lines (a message, a body): line breaks and tabs allowed, no other control or direction-override character. */
export const Paragraphs = (max: number, min = 0, tooShort?: string) => z.string().trim().min(min, tooShort).max(max).regex(SAFE_TEXT, UNSAFE_TEXT_MESSAGE);

/** Multilingual text: French required, Bambara and Soninké optional. */
export const Text = z
  .object(
    {
      fr: Paragraphs(20_000, 1, 'French text (fr) cannot be empty'),
      bm: Paragraphs(20_000, 1).optional(),
      snk: Paragraphs(20_000, 1).optional(),
    },
    { error: 'must be a text object with at least a French version, for example { "fr": "Bonjour" }' }
  )
  .strict();
export type Text = z.infer<typeof Text>;

/** Recorded narration for a text, per language, referenced by media hash. */
export const Audio = z.object({ fr: Sha256.optional(), bm: Sha256.optional(), snk: Sha256.optional() }).strict();
export type Audio = z.infer<typeof Audio>;

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-11-22"');
export const IsoDateTime = z.string().refine(
  function (s) {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !isNaN(Date.parse(s));
  },
  {
    error: 'must be a date and time like "2026-11-22T09:00:00Z"',
  }
);

/** Who a content doc is for; a hub pulls what names it, its commune, its region, or all. */
export const Audience = z
  .object({
    all: z.boolean().optional(),
    regions: z.array(Slug).max(50).optional(),
    communes: z.array(Slug).max(500).optional(),
    hubs: z.array(HubId).max(5000).optional(),
  })
  .strict()
  .refine(
    function (a) {
      return a.all === true || (a.regions ? a.regions.length : 0) + (a.communes ? a.communes.length : 0) + (a.hubs ? a.hubs.length : 0) > 0;
    },
    {
      error: 'audience must be { "all": true } or name at least one region, commune or hub',
    }
  );
export type Audience = z.infer<typeof Audience>;

export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ]{8,16}$/, 'must be a phone number like "+223 76 12 34 56"');
