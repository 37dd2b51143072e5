import { z } from 'zod';
import { LISTED_CONTENT_TYPES, Language, parseWith } from '../../content/index.js';
import { QUERY_LIMITS } from './query-limits.js';

const one = (v: unknown): unknown => (Array.isArray(v) ? (v as unknown[])[0] : v);

const L = QUERY_LIMITS;
export { QUERY_LIMITS };

export const ListQuery = z
  .object({
    type: z.preprocess(one, z.enum(LISTED_CONTENT_TYPES, { error: `type must be one of ${LISTED_CONTENT_TYPES.join(', ')}` })),
    lang: z.preprocess(one, Language.optional()),
    limit: z.preprocess(one, z.coerce.number().int().min(1).max(L.list.max).default(L.list.default)),
    skip: z.preprocess(one, z.coerce.number().int().min(0).max(L.skipMax).default(0)),
  })
  .loose();

export const ItemQuery = z.object({ lang: z.preprocess(one, Language.optional()) }).loose();

export const SearchQuery = z
  .object({
    q: z.preprocess(
      one,
      z
        .string({ error: 'q is required: the words to search for, for example ?q=budget' })
        .trim()
        .min(1, 'q cannot be empty')
        .max(L.queryChars, `q is too long (${L.queryChars} characters at most)`)
    ),
    type: z.preprocess(one, z.enum(LISTED_CONTENT_TYPES).optional()),
    lang: z.preprocess(one, Language.default('fr')),
    limit: z.preprocess(one, z.coerce.number().int().min(1).max(L.search.max).default(L.search.default)),
  })
  .loose();

/** Validates a query string; a wrong parameter is a 400 naming it. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  return parseWith(schema, query, 'bad-query', 400);
}
