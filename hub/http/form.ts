import { z } from 'zod';

/**
 * A posted body as the parsers leave it (urlencoded: strings and lists of strings; multer:
 * strings; express.json: anything): named values. Read with zod rather than cast, so a body
 * that is no object at all (no body, JSON text or a list) reads as an empty form.
 */
const FORM = z.record(z.string(), z.unknown());

export type FormBody = Readonly<Record<string, unknown>>;

/** The fields of a posted body: {} for no body, or a body that is no object of fields. */
export function formBody(body: unknown): FormBody {
  const parsed = FORM.safeParse(body);
  return parsed.success ? parsed.data : {};
}

/** The text of field `name`: undefined when absent, sent twice (a list) or not text. */
export function formText(body: unknown, name: string): string | undefined {
  const v = formBody(body)[name];
  return typeof v === 'string' ? v : undefined;
}

/** Every text field of a posted body (fields sent twice, as lists, left out). */
export function formTexts(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(formBody(body)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The texts of a field that may be sent several times (check boxes): [] when absent. */
export function formList(body: unknown, name: string): string[] {
  const v = formBody(body)[name];
  const list: readonly unknown[] = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

/** The text fields and lists of a posted body, as urlencoded leaves them (anything else left out). */
export function formFields(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(formBody(body))) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = formList(body, k);
  }
  return out;
}
