/**
 * Escaped-by-default HTML for the console. `html` escapes every interpolated value unless it
 * is already `SafeHtml`; names, messages and titles come from visitors. (The portal has the
 * same helper but does not export it yet; the two are to be folded into one.)
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

function toHtml(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(toHtml).join('');
  return String(v).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += toHtml(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup made by our own code only (the SVG charts). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
