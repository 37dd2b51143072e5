import { z } from 'zod';
import { AppError } from '../errors.js';
import { contentSchemas, MediaMeta, type ContentDoc } from './content.js';
import { describeIssues } from './issues.js';
import { CONTENT_TYPES, contentOf, isContentType, type ContentOf, type ContentType } from './names.js';
import { SUBMISSION_TYPES, submissionSchemas, type SubmissionType } from './submissions.js';
import type { Heartbeat } from './fleet.js';
import type { Assessment } from './grants.js';

export function isSubmissionType(t: unknown): t is SubmissionType {
  return typeof t === 'string' && (SUBMISSION_TYPES as readonly string[]).includes(t);
}

/** The doc a submission type's stored schema describes, as stored (the schema's input: a defaulted field may be missing, as in ContentOf). */
export type SubmissionOf<K extends SubmissionType> = z.input<(typeof submissionSchemas)[K]>;
/** Any submission, discriminated by `type`. */
export type SubmissionDoc = { [K in SubmissionType]: SubmissionOf<K> }[SubmissionType];

/**
 * A doc read from the submissions db, typed as a submission of `type` when its `type` field says
 * so and its id names that type ("<hubId>:<type>:…", or "<type>:…" for central's reviews), else
 * null. Like contentOf, a check and not a parse: every writer (the hub's services, central's
 * validate_doc_update) parses with the stored schema, which ties `type` to the id; this turns
 * away design docs, checkpoints and docs of another type in a range, at the cost of a string
 * compare (the status lookup and the tallies read thousands).
 */
export function submissionOf<K extends SubmissionType>(doc: unknown, type: K): SubmissionOf<K> | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { _id?: unknown; type?: unknown };
  if (d.type !== type || typeof d._id !== 'string') return null;
  const [first, second] = d._id.split(':', 2);
  return second === type || first === type ? (doc as SubmissionOf<K>) : null;
}

/** Any submission, narrowed by its own `type` as submissionOf narrows one type, else null. */
export function anySubmissionOf(doc: unknown): SubmissionDoc | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const type = (doc as { type?: unknown }).type;
  return isSubmissionType(type) ? submissionOf(doc, type) : null;
}

/** The docs a narrowing keeps among docs of every kind, in their order. */
function kept<T>(docs: Iterable<unknown>, narrow: (doc: unknown) => T | null): T[] {
  const out: T[] = [];
  for (const d of docs) {
    const t = narrow(d);
    if (t !== null) out.push(t);
  }
  return out;
}

/** The submissions of one type among docs of every kind (each narrowed as submissionOf does), the others left out. */
export function submissionsOf<K extends SubmissionType>(docs: Iterable<unknown>, type: K): SubmissionOf<K>[] {
  return kept(docs, (d) => submissionOf(d, type));
}

/** The content docs of one type among docs of every kind (each narrowed as contentOf does), the others left out. */
export function contentsOf<K extends ContentType>(docs: Iterable<unknown>, type: K): ContentOf<K>[] {
  return kept(docs, (d) => contentOf(d, type));
}

/** The narrowing of one submission type, to hand to storage's typed reads (`docsOf(db, prefix, asSubmission('proposal'))`). */
export function asSubmission<K extends SubmissionType>(type: K): (doc: unknown) => SubmissionOf<K> | null {
  return (doc) => submissionOf(doc, type);
}

/** The narrowing of one content type, to hand to storage's typed reads. */
export function asContent<K extends ContentType>(type: K): (doc: unknown) => ContentOf<K> | null {
  return (doc) => contentOf(doc, type);
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

/** A doc of the media db as stored (`priority` may be missing, see ContentOf), narrowed by its type and id, else null. */
export function mediaMetaOf(doc: unknown): z.input<typeof MediaMeta> | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { _id?: unknown; type?: unknown };
  return d.type === 'media' && typeof d._id === 'string' && d._id.startsWith('media:') ? (doc as z.input<typeof MediaMeta>) : null;
}

/** A juror's assessment as central's jury db holds it (validate_doc_update checked it), narrowed by its type and id, else null. */
export function assessmentOf(doc: unknown): z.input<typeof Assessment> | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { _id?: unknown; type?: unknown };
  return d.type === 'assessment' && typeof d._id === 'string' && d._id.startsWith('assessment:') ? (doc as z.input<typeof Assessment>) : null;
}

/** A hub's heartbeat as the fleet db holds it (its own writer parsed it), narrowed by its type and id, else null. */
export function heartbeatOf(doc: unknown): Heartbeat | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as { _id?: unknown; type?: unknown; hubId?: unknown };
  return d.type === 'heartbeat' && typeof d._id === 'string' && d._id === d.hubId ? (doc as Heartbeat) : null;
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
