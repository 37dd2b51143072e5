import { z } from 'zod';
import { LISTED_CONTENT_TYPES, Language, parseWith } from '../../content/index.js';

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const ListQuery = z
  .object({
    type: z.preprocess(one, z.enum(LISTED_CONTENT_TYPES, { message: `type must be one of ${LISTED_CONTENT_TYPES.join(', ')}` })),
    lang: z.preprocess(one, Language.optional()),
    limit: z.preprocess(one, z.coerce.number().int().min(1).max(500).default(100)),
    skip: z.preprocess(one, z.coerce.number().int().min(0).max(1_000_000).default(0)),
  })
  .loose();

export const ItemQuery = z.object({ lang: z.preprocess(one, Language.optional()) }).loose();

export const SearchQuery = z
  .object({
    q: z.preprocess(
      one,
      z
        .string({ message: 'q is required: the words to search for, for example ?q=budget' })
        .trim()
        .min(1, 'q cannot be empty')
        .max(200, 'q is too long (200 characters at most)')
    ),
    type: z.preprocess(one, z.enum(LISTED_CONTENT_TYPES).optional()),
    lang: z.preprocess(one, Language.default('fr')),
    limit: z.preprocess(one, z.coerce.number().int().min(1).max(100).default(20)),
  })
  .loose();

/** Validates a query string; a wrong parameter is a 400 naming it. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, query, 'bad-query', 400);
}
