/**
 * The bundle's JavaScript made ASCII, its source map kept true. V8 keeps every module's source
 * for as long as the module lives (functions are compiled from it lazily), and a source with a
 * single character past ASCII is held as UTF-16, two bytes a character: three of the hub's
 * largest chunks (2.3, 1.9 and 1.2 MB) had a few hundred (dashes and arrows in the `html`
 * templates, `§` in comments). Made ASCII, the hub at 10 000 docs is 3–5 MB less resident once
 * started (Node 24, the Pi's: 102–103 against 99–100 MB, its external memory 14.4 against
 * 11.1 MB; Node 20: 85 against 80 MB) and 1–2 MB less after the memory bench's load (the
 * bench's own noise is ±3 MB). esbuild escapes strings already, but not comments, regular
 * expressions or tagged templates (whose raw text a tag may read; the portal's `html` reads
 * the cooked text, the same either way).
 *
 * Each UTF-16 unit past ASCII becomes `\uXXXX`, five characters longer, so every place after it
 * on its line moves right: the generated columns of the source map move with them.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map(Array.from({ length: BASE64.length }, (_, i) => [BASE64.charAt(i), i]));
/** A character past ASCII. */
const NOT_ASCII = /[\u007f-\uffff]/;
/** `\uXXXX` for one unit. */
const WIDENED_BY = 5;

export interface AsciiBundleFile {
  js: string;
  /** The source map's JSON, or undefined when the file has none. */
  map?: string;
}

/** `file` with every character past ASCII escaped, and its map's generated columns moved to match. */
export function asciiBundleFile(file: AsciiBundleFile): AsciiBundleFile {
  if (!NOT_ASCII.test(file.js)) return file;
  // A line separator outside a string is a line break to V8, and `\u2028` would not be.
  if (/[\u2028\u2029]/.test(file.js)) throw new Error('the bundle holds U+2028 or U+2029 outside a string: write it as an escape in the source');
  const lines = file.js.split('\n');
  const moved: number[][] = [];
  const js = lines
    .map((line, n) => {
      const at: number[] = [];
      const escaped = line.replace(new RegExp(NOT_ASCII.source, 'g'), (c, i: number) => {
        at.push(i);
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      });
      moved[n] = at;
      return escaped;
    })
    .join('\n');
  if (file.map === undefined) return { js };
  const map = JSON.parse(file.map) as { mappings: string };
  map.mappings = map.mappings
    .split(';')
    .map((line, n) => moveColumns(line, moved[n] ?? []))
    .join(';');
  return { js, map: JSON.stringify(map) };
}

/** One line of `mappings` with each segment's generated column moved past the escapes before it (`at`: their columns, ascending). */
function moveColumns(line: string, at: number[]): string {
  if (at.length === 0 || line === '') return line;
  let column = 0;
  let previous = 0;
  let passed = 0;
  return line
    .split(',')
    .map((segment) => {
      const [delta, end] = readVlq(segment);
      column += delta;
      while (passed < at.length && at[passed]! < column) passed += 1;
      const next = column + passed * WIDENED_BY;
      const text = writeVlq(next - previous) + segment.slice(end);
      previous = next;
      return text;
    })
    .join(',');
}

/** The base64 VLQ number that `s` starts with, and where it ends. */
function readVlq(s: string): [number, number] {
  let value = 0;
  let shift = 0;
  let i = 0;
  for (;;) {
    const digit = BASE64_VALUE.get(s[i] ?? '');
    if (digit === undefined) throw new Error(`not a source map's base64 VLQ: ${JSON.stringify(s)}`);
    i += 1;
    value += (digit & 31) * 2 ** shift;
    shift += 5;
    if ((digit & 32) === 0) break;
  }
  return [value % 2 === 1 ? -(value - 1) / 2 : value / 2, i];
}

function writeVlq(n: number): string {
  let value = n < 0 ? -n * 2 + 1 : n * 2;
  let out = '';
  do {
    let digit = value % 32;
    value = Math.floor(value / 32);
    if (value > 0) digit |= 32;
    out += BASE64.charAt(digit);
  } while (value > 0);
  return out;
}
