import type { Request } from 'express';
import { icon, voice } from './components.js';
import type { PageContext } from './context.js';
import { html, type Html } from './html.js';
import { formText } from '../http/index.js';
import type { PostableSubmissionType } from '../../content/index.js';
import { trySubmission, type CheckedSubmission } from '../submissions/index.js';

/**
 * A refused form, as the visitor reads it: for each field in trouble, the catalog key of the
 * sentence shown next to it (never a schema's English), and what was typed, written back.
 */
export interface FormProblem {
  /** field name → catalog key */
  fields: Record<string, string>;
  /** A sentence about the whole form (rate limit, closed consultation), as a catalog key. */
  form?: string;
}

/**
 * A form posting a submission, read once by its type's input schema: the checked submission
 * the service takes, or the fields the schema refuses, each with the catalog key that explains
 * it. A refusal on a field with no key of its own says `fallback` (still catalog words, in the
 * visitor's language).
 */
export function checkForm<K extends PostableSubmissionType>(
  type: K,
  input: unknown,
  keys: Record<string, string>,
  fallback = 'form.invalid'
): { submission: CheckedSubmission<K> } | { problem: FormProblem } {
  const read = trySubmission(type, input);
  if (!('issues' in read)) return read;
  const fields: Record<string, string> = {};
  for (const issue of read.issues) {
    const field = String(issue.path[0] ?? '');
    if (fields[field] === undefined) fields[field] = keys[field] ?? fallback;
  }
  return { problem: { fields } };
}

/** The sentence beside a field, with its ▶, linked to the field by id. */
export function fieldError(ctx: PageContext, problem: FormProblem | undefined, name: string): Html {
  const key = problem?.fields[name];
  if (!key) return html``;
  return html`<p class="fielderr" id="err-${name}">${icon(ctx, 'alert', 'i sm')}<span>${ctx.t(key)}</span>${voice(ctx, key)}</p>`;
}

/** aria-invalid and aria-describedby on a field in trouble. */
export function invalid(problem: FormProblem | undefined, name: string): Html {
  return problem?.fields[name] ? html` aria-invalid="true" aria-describedby="err-${name}"` : html``;
}

/** The notice at the top of a refused form: what happened, in words and with a voice. */
export function formNotice(ctx: PageContext, problem: FormProblem | undefined): Html {
  if (!problem) return html``;
  const key = problem.form ?? 'form.invalid';
  return html`<div class="notice err" role="alert" id="erreur">${icon(ctx, 'alert')}<div><p>${ctx.t(key)}</p>${
    problem.form === undefined && Object.keys(problem.fields).length
      ? html`<ul>${Object.keys(problem.fields).map((f) => html`<li><a href="#${f === '' ? 'erreur' : f}">${ctx.t(problem.fields[f]!)}</a></li>`)}</ul>`
      : ''
  }</div>${voice(ctx, key)}</div>`;
}

/**
 * The forms' rate limit does not throw: it marks the request, and the form is shown again with
 * what was typed and the catalog's sentence (status 429).
 */
export function rateLimited(req: Request): boolean {
  return (req as Request & { formLimited?: boolean }).formLimited === true;
}

export function markRateLimited(req: Request): void {
  (req as Request & { formLimited?: boolean }).formLimited = true;
}

/** Form fields as strings (what was typed), never longer than a field may be. */
export function typed(body: unknown, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, (formText(body, n) ?? '').slice(0, 5000)]));
}
