/*
 * Orders for the portal's lists without ICU's collator: the first localeCompare or Intl.Collator
 * makes the hub touch ~2 MB of the node binary's collation data, resident from then on (issue 18,
 * point 4). tests/unit/hub/portal/order.test.ts proves they give localeCompare's order (default
 * and French) on the catalog's real ids, dates and names.
 */

/** Ids (`type:slug`, lowercase) and ISO timestamps: code-unit order. */
export function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const keys = new Map<string, string>();
/** A name without its accents, in lower case: "Kéniéba" → "kenieba". */
function foldKey(s: string): string {
  let k = keys.get(s);
  if (k === undefined) {
    k = s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    if (keys.size < 10_000) keys.set(s, k);
  }
  return k;
}

/** Names for readers (communes, organisations): accents and case ignored, then the raw text. */
export function byName(a: string, b: string): number {
  return byCode(foldKey(a), foldKey(b)) || byCode(a, b);
}
