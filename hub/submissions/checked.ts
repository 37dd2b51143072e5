import type { z } from 'zod';
import { parseWith, submissionInputSchemas, type PostableSubmissionType } from '../../content/index.js';

/** Known to this module only: nothing else can name it, so only `checkSubmission` makes a `CheckedSubmission`. */
declare const checked: unique symbol;

/** What a phone, the kiosk or the console may send as a submission of type `K`, once its input schema has read it. */
export type SubmissionInput<K extends PostableSubmissionType> = z.output<(typeof submissionInputSchemas)[K]>;

/**
 * A submission read by its type's input schema (content/schema), with that type: what
 * `SubmissionService.submit` takes. Only `checkSubmission` makes one (the brand cannot be
 * written elsewhere without a cast), so the service stores nothing its schema has not read,
 * and reads it once: the fields the hub adds (id, hub, time, channel) it makes itself.
 * Distributed over the types, so `submit` narrows `fields` by `type`.
 */
export type CheckedSubmission<K extends PostableSubmissionType = PostableSubmissionType> = K extends PostableSubmissionType
  ? { readonly type: K; readonly fields: SubmissionInput<K>; readonly [checked]: true }
  : never;

/** Reads `body` with the input schema of `type`: a 422 `invalid-submission` naming what is wrong, or the checked submission. */
export function checkSubmission<K extends PostableSubmissionType>(type: K, body: unknown): CheckedSubmission<K> {
  const fields = parseWith(submissionInputSchemas[type], body, 'invalid-submission', 422) as SubmissionInput<K>;
  return { type, fields } as unknown as CheckedSubmission<K>;
}

/**
 * As checkSubmission, without throwing: the checked submission, or the schema's issues (a form
 * names the fields in trouble with them). One parse either way.
 */
export function trySubmission<K extends PostableSubmissionType>(
  type: K,
  body: unknown
): { submission: CheckedSubmission<K> } | { issues: readonly z.core.$ZodIssue[] } {
  const schema: z.ZodType = submissionInputSchemas[type];
  const result = schema.safeParse(body);
  if (!result.success) return { issues: result.error.issues };
  return { submission: { type, fields: result.data as SubmissionInput<K> } as unknown as CheckedSubmission<K> };
}
