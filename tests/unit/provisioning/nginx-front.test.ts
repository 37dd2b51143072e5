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
  return [...block.matchAll(/^ {4}"~(.*)" (?:1|"");$/gm)].map((m) => new RegExp(m[1]!));
}

/** The pattern of what nginx may answer itself, on its key: method|Range|conditions|query. */
const plain = (range: string) => mapRegexes('espace_ask_hub')[0]!.test(`GET|${range}||`);

/** Random numbers of 1 to 15 digits, without leading zeros, and the edges. */
function numbers(): number[] {
  const edges = [0, 1, 9, 10, 99, 100, 300016, 300017, 300018, 999999, 1000000, 4194304, 8388608, 123456789012345, 999999999999999];
  const random = Array.from({ length: 400 }, () => Math.floor(Math.random() * 10 ** (1 + Math.floor(Math.random() * 15))));
  return [...edges, ...random];
}

describe("the nginx front's comparisons of a range's numbers (issue 18, item 5)", () => {
  it('a range fits when its start is below the file size, as nginx decides it; no Range fits', () => {
    const fits = mapRegexes('espace_fits');
    assert.equal(fits.length, 1, 'one pattern');
    const ns = numbers();
    for (const from of ns)
      for (const size of ns.slice(0, 60)) {
        const got = fits[0]!.test(`${from}|${size}`);
        assert.equal(got, from < size, `bytes=${from}- of a file of ${size} bytes`);
      }
    assert.ok(fits[0]!.test('|300017'), 'no range: it fits');
  });

  it('a backwards range asks the hub; a range that does not, and no Range, nginx may answer', () => {
    const ns = numbers();
    for (const to of ns.slice(0, 60)) for (const from of ns) assert.equal(plain(`bytes=${from}-${to}`), to >= from, `bytes=${from}-${to}`);
    for (const range of ['', 'bytes=5-', 'bytes=0-', 'bytes=0-0', 'bytes=999999999999999-999999999999999']) assert.ok(plain(range), range);
    for (const range of ['bytes=05-9', 'bytes=-5', 'bytes=1-2,4-5', 'bytes=1000000000000000-']) assert.ok(!plain(range), range);
  });
});
