import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nginxFrontConfig } from '../../../provisioning/index.js';

/** The front's configuration for paths that do not matter here. */
const config = nginxFrontConfig({
  listen: '127.0.0.1:8000',
  hub: '127.0.0.1:8080',
  dataDir: '/var/lib/espace',
  headers: [],
  publicHeaders: {},
  sharedHeaders: [],
  pid: '/run/nginx.pid',
  errorLog: '/var/log/nginx/error.log',
  temp: '/var/lib/nginx',
});

/** The regexes of a map, in order, as JavaScript reads them (these use no PCRE-only feature). */
function mapRegexes(variable: string): RegExp[] {
  const block = new RegExp(`  map "[^"]*" \\$${variable} \\{\\n((?:    .*\\n)+?)  \\}`).exec(config)?.[1];
  assert.ok(block, `the map of $${variable}`);
  return [...block.matchAll(/^ {4}"~(.*)" 1;$/gm)].map((m) => new RegExp(m[1]!));
}

/** Random numbers of 1 to 15 digits, without leading zeros, and the edges. */
function numbers(): number[] {
  const edges = [0, 1, 9, 10, 99, 100, 300016, 300017, 300018, 999999, 1000000, 4194304, 8388608, 123456789012345, 999999999999999];
  const random = Array.from({ length: 400 }, () => Math.floor(Math.random() * 10 ** (1 + Math.floor(Math.random() * 15))));
  return [...edges, ...random];
}

describe("the nginx front's comparisons of a range's numbers (issue 18, item 5)", () => {
  it('a range fits when its start is below the file size, as nginx decides it', () => {
    const fits = mapRegexes('espace_fits');
    const ns = numbers();
    for (const from of ns)
      for (const size of ns.slice(0, 60)) {
        const got = fits.some((re) => re.test(`${from}|${size}`));
        assert.equal(got, from < size, `bytes=${from}- of a file of ${size} bytes`);
      }
    assert.ok(
      fits.some((re) => re.test('|300017')),
      'no range: it fits'
    );
  });

  it('a range is backwards when it ends before it starts', () => {
    const backwards = mapRegexes('espace_backwards');
    const ns = numbers();
    for (const to of ns.slice(0, 60))
      for (const from of ns)
        assert.equal(
          backwards.some((re) => re.test(`${to}|${from}`)),
          to < from,
          `bytes=${from}-${to}`
        );
    assert.equal(
      backwards.some((re) => re.test('|5')),
      false,
      'bytes=5-: open, never backwards'
    );
  });
});
