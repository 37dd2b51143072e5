import type { z } from 'zod';
import type { contentSchemas } from './content.js';

/**
 * The content's names and the narrowing of stored docs, without a schema: what the hub's first
 * search needs (the catalog, the search index, the search fast path), so that start-up loads
 * neither zod nor the schemas (loading modules is most of a start on a Pi's core). The schemas
 * themselves (content.ts, common.ts) use these same names.
 */

/** Languages the product speaks. French is the reference: every text has it. */
export const LANGUAGES = ['fr', 'bm', 'snk'] as const;

export const CONTENT_TYPES = [
  'course',
  'lesson',
  'quiz',
  'document',
  'commune',
  'official',
  'organisation',
  'consultation',
  'event',
  'indicator',
  'announcement',
  'opportunity',
  'certificate',
  'topic',
  'post',
  'answer',
  'suspension',
  'translation',
  'proposal',
  'plan',
  'verdict',
  'call',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export function isContentType(t: unknown): t is ContentType {
  return typeof t === 'string' && (CONTENT_TYPES as readonly string[]).includes(t);
}

/**
 * The doc a content type's schema describes as it is stored (certificates included, which
 * ContentDoc leaves out): the schema's input, so a field with a default (`trades`, `priority`…)
 * may be missing. Central's validate_doc_update checks a doc without filling defaults, so a doc
 * made there reaches the hub without them, and readers keep their `?? []`.
 */
export type ContentOf<K extends ContentType> = z.input<(typeof contentSchemas)[K]>;

/**
 * A doc read from the content db, typed as the content of `type` when its `type` field says so
 * and its id is in that type's range, else null. Not a parse: every writer of the content db
 * (packs, the studio, central's validate_doc_update) parses with the schema, which ties the
 * `type` field to the id's prefix, so for such docs this is true; what it turns away is an old
 * or foreign doc (a design doc, a doc of another type in the range). The one place a stored
 * content doc becomes typed.
 */
export function contentOf<K extends ContentType>(doc: unknown, type: K): ContentOf<K> | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { _id?: unknown; type?: unknown };
  return d.type === type && typeof d._id === 'string' && d._id.startsWith(`${type}:`) ? (doc as ContentOf<K>) : null;
}

/**
 * Any doc of the content db as the catalog hands it out (as stored, see ContentOf): ContentDoc's
 * types plus the hubs' certificates.
 * ContentDoc leaves certificates out because every page, list and search entry reads a title or
 * a name a certificate has not; a feed or a full read must still carry them (hub/tls follows
 * its own certificate through the feed), so the catalog's whole-db reads are this union, and a
 * reader that wants ContentDoc narrows by `type` (`doc.type !== 'certificate'`).
 */
export type CatalogDoc = { [K in ContentType]: ContentOf<K> }[ContentType];

/** A content doc of any type, narrowed as contentOf narrows one type (its `type` matches its id's prefix), else null. */
export function catalogDocOf(doc: unknown): CatalogDoc | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const type = (doc as { type?: unknown }).type;
  return isContentType(type) ? contentOf(doc, type) : null;
}

/** The field path's value in a doc (undefined when the path leads nowhere). */
export function valueAt(doc: unknown, field: string): unknown {
  let v: unknown = doc;
  for (const part of field.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
