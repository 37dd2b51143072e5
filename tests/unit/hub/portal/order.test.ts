import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { byCode, byName } from '../../../../hub/portal/order.js';
import { generateDocs } from '../../../bench/generate.js';

// localeCompare and Intl.Collator appear here only: the portal's orders must equal theirs on
// the catalog's real strings (the kayes pack and the bench's generated catalog).
const PACK = 'content/packs/kayes';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ya?ml|json|md)$/.test(f) ? [p] : [];
  });
}

function packValues(field: RegExp): string[] {
  const out = new Set<string>();
  for (const f of files(PACK))
    for (const m of readFileSync(f, 'utf8').matchAll(field)) {
      const v = m[1]!.trim().replace(/^["']|["']$/g, '');
      // `{ fr: ..., bm: ... }` is a flow map of translations, not a name.
      if (v && !v.startsWith('{')) out.add(v);
    }
  return [...out];
}

const generated = generateDocs(2000);
const ids = [...packValues(/^\s*-?\s*_?id:\s*(.+)$/gm), ...packValues(/^\s*-?\s*commune:\s*([a-z0-9-]+)\s*$/gm), ...generated.map((d) => String(d._id))];
const dates = [
  ...packValues(/^\s*-?\s*\w+(?:At|Date|deadline)?:\s*["']?(\d{4}-\d\d-\d\d[^"'\s]*)/gm),
  ...generated.flatMap((d) => Object.values(d).filter((v): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v))),
  '',
];
const names = [...packValues(/^\s*-?\s*(?:name|title|fullName):\s*(.+)$/gm), ...generated.flatMap((d) => (typeof d.name === 'string' ? [d.name] : []))];

const fr = new Intl.Collator('fr');
const sign = (n: number) => Math.sign(n);

function sameOrder(values: string[], mine: (a: string, b: string) => number) {
  for (const [label, theirs] of [
    ['localeCompare', (a: string, b: string) => a.localeCompare(b)],
    ['Intl.Collator fr', (a: string, b: string) => fr.compare(a, b)],
  ] as const) {
    assert.deepEqual([...values].sort(mine), [...values].sort(theirs), label);
    // Pairwise as well, not only the one order sort happened to visit.
    const some = values.length > 400 ? values.filter((_, i) => i % Math.ceil(values.length / 400) === 0) : values;
    for (const a of some) for (const b of some) if (a !== b) assert.equal(sign(mine(a, b)), sign(theirs(a, b)), `${label}: ${a} / ${b}`);
  }
}

describe('portal orders', () => {
  it('has real strings to compare', () => {
    assert.ok(ids.length > 100 && dates.length > 20 && names.length > 20, `${ids.length} ids, ${dates.length} dates, ${names.length} names`);
  });
  it('orders ids as localeCompare does', () => sameOrder([...new Set(ids)], byCode));
  it('orders ISO dates as localeCompare does', () => sameOrder([...new Set(dates)], byCode));
  it('orders names as localeCompare does', () => sameOrder([...new Set(names)], byName));
});
