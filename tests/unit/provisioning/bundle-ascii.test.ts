import assert from 'node:assert/strict';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { asciiBundleFile } from '../../../provisioning/bundle-ascii.js';

// What esbuild leaves past ASCII: a tagged template, regular expressions, comments.
const SOURCE = [
  'const tag = (s, ...v) => s.reduce((a, x, i) => a + x + (i < v.length ? v[i] : ""), "");',
  '/** Kept by esbuild: § 2.7 — « à la ligne » */',
  'export const page = (t) => tag`<p>← ${t} — fin → 😀</p>` + mark(), then = new Error("here").stack;',
  'export const accents = /[éèà]+/u.test("été") && /😀/u.test("😀") && !/^é$/.test("e");',
  'function mark() { return "·"; }',
].join('\n');

async function bundled(): Promise<{ js: string; map: string }> {
  const out = await build({
    stdin: { contents: SOURCE, sourcefile: 'page.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    write: false,
    outfile: 'out.js',
    sourcemap: 'external',
    logLevel: 'silent',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const map = out.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
  return { js, map };
}

/** Line and column (0-based) of `needle`'s first occurrence in `js`. */
function placeOf(js: string, needle: string): [number, number] {
  const lines = js.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return [line, lines[line]!.indexOf(needle)];
}

const load = async (js: string) => (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as Record<string, unknown>;

describe('the bundle made ASCII (provisioning/bundle-ascii.ts)', () => {
  it('escapes every character past ASCII, and the code does the same', async () => {
    const before = await bundled();
    assert.match(before.js, /[\u007f-\uffff]/, 'esbuild leaves some: the test must see them');
    const after = asciiBundleFile(before);
    assert.doesNotMatch(after.js, /[\u007f-\uffff]/);
    const [a, b] = [await load(before.js), await load(after.js)];
    assert.equal((a.page as (t: string) => string)('x'), '<p>← x — fin → 😀</p>·');
    assert.equal((b.page as (t: string) => string)('x'), (a.page as (t: string) => string)('x'));
    assert.equal(b.accents, true);
    assert.equal(a.accents, true);
  });

  it('moves the source map with the escapes: a place after them maps where it did', async () => {
    const before = await bundled();
    const after = asciiBundleFile(before);
    const mapBefore = new SourceMap(JSON.parse(before.map) as SourceMapPayload);
    const mapAfter = new SourceMap(JSON.parse(after.map!) as SourceMapPayload);
    for (const needle of ['mark()', 'new Error', 't}', '.test(', '<p>']) {
      const [line, column] = placeOf(before.js, needle);
      const [lineAfter, columnAfter] = placeOf(after.js, needle);
      assert.equal(lineAfter, line);
      const was = mapBefore.findEntry(line, column);
      const is = mapAfter.findEntry(lineAfter, columnAfter);
      assert.ok('originalLine' in was && 'originalLine' in is, needle);
      assert.deepEqual([is.originalLine, is.originalColumn], [was.originalLine, was.originalColumn], needle);
    }
    // A stack trace's column, read in the escaped code, names the original place.
    const stack = String((await load(after.js)).then);
    const [, line, column] = /:(\d+):(\d+)\)?\n/.exec(stack)!;
    const entry = mapAfter.findEntry(Number(line) - 1, Number(column) - 1);
    assert.ok('originalLine' in entry);
    const original = SOURCE.split('\n')[2]!.indexOf('new Error');
    assert.deepEqual([entry.originalLine, entry.originalColumn], [2, original], 'new Error("here") in page.js');
  });

  it('leaves an ASCII file as it is, and refuses a line separator outside a string', () => {
    const file = { js: 'export const a = "\\u2014";\n', map: '{"version":3,"mappings":"AAAA"}' };
    assert.equal(asciiBundleFile(file), file);
    assert.throws(() => asciiBundleFile({ js: '/* \u2028 */ export {};' }), /U\+2028/);
  });
});
