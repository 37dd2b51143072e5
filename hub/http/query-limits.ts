/**
 * The bounds of the API's queries, read by the schemas of query.ts and by the raw fast path
 * alike; apart from those schemas so that the first search, answered before zod's content
 * shapes load, reads them too.
 */
/** The bounds of the API's queries, read by these schemas and by the raw fast path alike. */
export const QUERY_LIMITS = {
  list: { default: 100, max: 500 },
  skipMax: 1_000_000,
  search: { default: 20, max: 100 },
  queryChars: 200,
} as const;
