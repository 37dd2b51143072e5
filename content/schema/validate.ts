import { z } from 'zod';
import { AppError } from '../errors.js';
import { CONTENT_TYPES, contentSchemas, MediaMeta, type ContentDoc, type ContentType } from './content.js';

/** Turns zod issues into one sentence naming each field, e.g. `title.fr: French text (fr) cannot be empty`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export function isContentType(t: unknown): t is ContentType {
  return typeof t === 'string' && (CONTENT_TYPES as readonly string[]).includes(t);
}

/** The doc a content type's schema describes (certificates included, which ContentDoc leaves out). */
export type ContentOf<K extends ContentType> = z.infer<(typeof contentSchemas)[K]>;

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

/** Validates any content doc by its `type`; throws AppError(422) naming the field. */
export function parseContentDoc(doc: unknown, where = ''): ContentDoc {
  const type = (doc as { type?: unknown } | null)?.type;
  if (!isContentType(type)) {
    throw new AppError(
      422,
      'unknown-content-type',
      `${where ? where + ': ' : ''}type must be one of ${CONTENT_TYPES.join(', ')} (got ${JSON.stringify(type)})`
    );
  }
  const result = contentSchemas[type].safeParse(doc);
  if (!result.success) {
    throw new AppError(422, 'invalid-content', `${where ? where + ': ' : ''}${describeIssues(result.error)}`);
  }
  return result.data as ContentDoc;
}

export function parseMediaMeta(doc: unknown, where = '') {
  const result = MediaMeta.safeParse(doc);
  if (!result.success) throw new AppError(422, 'invalid-media', `${where ? where + ': ' : ''}${describeIssues(result.error)}`);
  return result.data;
}

/** Parses with a schema, throwing a 400/422 AppError with a sentence a person can act on. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, reason = 'invalid-input', status = 422): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError(status, reason, describeIssues(result.error));
  return result.data;
}
