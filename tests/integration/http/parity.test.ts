import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { appShared, createApp, createHandler } from '../../../hub/app.js';
import { createFastPath } from '../../../hub/http/index.js';
import { portalAssets } from '../../../hub/portal/index.js';
import { headerLines, sendRaw, startTestHub, type RawAnswer, type TestHub } from '../../support/index.js';

type Raw = RawAnswer;
const send = sendRaw;

/** All headers but the date, and the visit cookie's expiry (the second it was sent). */
function comparable(r: Raw): Record<string, unknown> {
  const { date: _date, 'set-cookie': cookie, ...rest } = r.headers;
  return { ...rest, 'set-cookie': (cookie as string[] | undefined)?.map((c) => c.replace(/Expires=[^;]+/, 'Expires=…')) };
}

interface Listening {
  server: Server;
  port: number;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * The hub's own handler, with a witness of who answered (`answered`: whether the fast path
 * did), and Express alone, each on a loopback port.
 */
async function bothPaths(hub: TestHub, answered: (fast: boolean) => void): Promise<{ fast: Listening; express: Listening }> {
  const shared = appShared(hub.deps);
  const app = createApp(hub.deps, shared);
  const fastPath = createFastPath(hub.deps, shared.http);
  const fast = await listen((req, res) => {
    const b = fastPath(req, res);
    answered(b);
    if (!b) app(req, res);
  });
  return { fast, express: await listen(createHandler(hub.deps, { fastPath: false })) };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The codings a phone, a browser, a careful client and a strange one ask for. */
const CODINGS: Record<string, string>[] = [
  {},
  { 'accept-encoding': 'gzip' },
  { 'accept-encoding': 'br' },
  { 'accept-encoding': 'gzip, deflate, br' },
  { 'accept-encoding': 'br;q=0, gzip' },
  { 'accept-encoding': 'gzip;q=0, br;q=0' },
  { 'accept-encoding': 'gzip, identity;q=0' },
  { 'accept-encoding': 'deflate' },
];

/**
 * Issue 17, item 2: for every route the raw fast path answers, the same request through the
 * fast path and through Express alone gives the same status, headers and bytes.
 */
describe('the fast path and Express give the same answers', () => {
  let hub: TestHub;
  let fast: { server: Server; port: number };
  let express: { server: Server; port: number };
  /** Whether the fast path answered the last request sent to `fast`. */
  let answeredFast = false;
  const media = Buffer.from('x'.repeat(3000) + 'fin du fichier');
  let item: string;
  let css: string;
  let logo: string;

  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    await hub.deps.search.whenReady();
    // Static files are compressed in the background: both paths send the same copies once made.
    await portalAssets().compressed();
    await hub.deps.media.put(media, sha(media));
    await hub.deps.dbs.media.put({
      _id: `media:${sha(media)}`,
      type: 'media',
      sha256: sha(media),
      size: media.length,
      mime: 'text/plain',
      filename: 'notes.txt',
      priority: 3,
    });
    ({ fast, express } = await bothPaths(hub, (b) => (answeredFast = b)));
    const list = JSON.parse((await send(express.port, '/api/v1/content?type=course', 'GET', {})).body.toString()) as { items: { _id: string }[] };
    item = list.items[0]!._id;
    const html = (await send(express.port, '/', 'GET', { cookie: 'lang=fr' })).body.toString();
    css = /href="(\/static\/portal\.[0-9a-f]{10}\.css)"/.exec(html)![1]!;
    logo = /href="(\/static\/logo\.[0-9a-f]{10}\.svg)"/.exec(html)![1]!;
  });
  after(async () => {
    for (const s of [fast, express]) await new Promise<void>((ok) => s.server.close(() => ok()));
    await hub.stop();
  });

  /**
   * Sends `path` through both (the fast one twice: its first request fills the caches through
   * Express) and compares; `viaFast`: whether the fast path must be the one that answered.
   */
  async function same(path: string, method: string, headers: Record<string, string>, viaFast: boolean): Promise<Raw> {
    await send(fast.port, path, method === 'HEAD' ? 'GET' : method, headers);
    const a = await send(fast.port, path, method, headers);
    assert.equal(answeredFast, viaFast, `${method} ${path} ${JSON.stringify(headers)}: answered by ${answeredFast ? 'the fast path' : 'Express'}`);
    const b = await send(express.port, path, method, headers);
    const what = `${method} ${path} ${JSON.stringify(headers)}`;
    assert.equal(a.status, b.status, what);
    assert.deepEqual(comparable(a), comparable(b), what);
    assert.ok(a.body.equals(b.body), `${what}: the same bytes`);
    return a;
  }

  const routes = () => [
    { name: 'a content list', path: '/api/v1/content?type=course&lang=fr' },
    { name: 'a content item', path: `/api/v1/content/${encodeURIComponent(item)}?lang=fr` },
    { name: 'a search', path: '/api/v1/search?q=budget' },
    { name: 'a portal page', path: '/apprendre', headers: { cookie: 'lang=fr' }, getOnly: true },
    { name: 'a media file', path: `/media/${sha(media)}` },
    { name: 'a static file', path: css },
    { name: 'a static file too small to compress', path: logo },
    { name: 'the service worker', path: '/sw.js' },
  ];

  it('the same answer for every coding asked, compressed the same way', async () => {
    for (const r of routes()) {
      for (const coding of CODINGS) {
        const a = await same(r.path, 'GET', { ...r.headers, ...coding }, true);
        assert.equal(a.status, 200, r.name);
        assert.ok(a.headers.etag, `${r.name} has an ETag`);
      }
    }
  });

  it('honours q=0: no coding the client refused', async () => {
    for (const r of routes().filter((x) => !x.path.startsWith('/media'))) {
      const none = await same(r.path, 'GET', { ...r.headers, 'accept-encoding': 'gzip;q=0, br;q=0' }, true);
      assert.equal(none.headers['content-encoding'], undefined, r.name);
      const gzip = await same(r.path, 'GET', { ...r.headers, 'accept-encoding': 'br;q=0, gzip' }, true);
      if (gzip.body.length >= 512 || gzip.headers['content-encoding']) assert.equal(gzip.headers['content-encoding'], 'gzip', r.name);
    }
  });

  it('the same 304 for a revalidation, a list of tags and a weak tag', async () => {
    for (const r of routes()) {
      const first = await send(fast.port, r.path, 'GET', { ...r.headers });
      const etag = String(first.headers.etag);
      for (const inm of [etag, `"autre", ${etag}`, `W/${etag}`]) {
        const a = await same(r.path, 'GET', { ...r.headers, 'if-none-match': inm, 'accept-encoding': 'gzip' }, true);
        assert.equal(a.status, 304, `${r.name}: ${inm}`);
        assert.equal(a.body.length, 0);
      }
      // fetch() adds Cache-Control: no-cache to every conditional request: still a 304.
      const fetchLike = await same(r.path, 'GET', { ...r.headers, 'if-none-match': etag, 'cache-control': 'no-cache' }, true);
      assert.equal(fetchLike.status, 304, r.name);
      const stale = await same(r.path, 'GET', { ...r.headers, 'if-none-match': '"autre"' }, true);
      assert.equal(stale.status, 200, r.name);
    }
  });

  it('the same HEAD: headers of the GET, no body', async () => {
    for (const r of routes()) {
      const a = await same(r.path, 'HEAD', { ...r.headers, 'accept-encoding': 'gzip, br' }, !r.getOnly);
      assert.equal(a.status, 200, r.name);
      assert.equal(a.body.length, 0, r.name);
    }
  });

  it('the same range of a media file', async () => {
    const a = await same(`/media/${sha(media)}`, 'GET', { range: 'bytes=3000-3013' }, true);
    assert.equal(a.status, 206);
    assert.equal(a.body.toString(), 'fin du fichier');
  });

  it('the same suffix, open, several and malformed ranges', async () => {
    const path = `/media/${sha(media)}`;
    const suffix = await same(path, 'GET', { range: 'bytes=-500' }, true);
    assert.equal(suffix.status, 206);
    assert.equal(suffix.headers['content-range'], `bytes ${media.length - 500}-${media.length - 1}/${media.length}`);
    assert.ok(suffix.body.equals(media.subarray(-500)));
    const open = await same(path, 'GET', { range: 'bytes=100-' }, true);
    assert.equal(open.status, 206);
    assert.equal(open.headers['content-range'], `bytes 100-${media.length - 1}/${media.length}`);
    assert.ok(open.body.equals(media.subarray(100)));
    // Several ranges and a Range that is not bytes get the whole file, as Express's send gave.
    for (const range of ['bytes=0-9,2000-2009', 'bytes=abc', 'items=0-5']) {
      const whole = await same(path, 'GET', { range }, true);
      assert.equal(whole.status, 200, range);
      assert.ok(whole.body.equals(media), range);
    }
  });

  it('the same 416 for a range outside the file, in the JSON envelope', async () => {
    for (const method of ['GET', 'HEAD']) {
      const a = await same(`/media/${sha(media)}`, method, { range: 'bytes=5000-6000' }, true);
      assert.equal(a.status, 416, method);
      assert.equal(a.headers['content-range'], `bytes */${media.length}`, method);
      assert.equal(a.headers['accept-ranges'], 'bytes', method);
      assert.match(String(a.headers['content-type']), /^application\/json/);
      if (method === 'GET') assert.equal((JSON.parse(a.body.toString()) as { reason: string }).reason, 'bad-range');
    }
  });

  it('the same If-Range: the range for its own tag, the whole file for another tag or a date', async () => {
    const path = `/media/${sha(media)}`;
    const range = 'bytes=3000-3013';
    const current = await same(path, 'GET', { range, 'if-range': `"${sha(media)}"` }, true);
    assert.equal(current.status, 206);
    assert.equal(current.body.toString(), 'fin du fichier');
    for (const ifRange of ['"un-autre-fichier"', `W/"${sha(media)}"`, 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const stale = await same(path, 'GET', { range, 'if-range': ifRange }, true);
      assert.equal(stale.status, 200, ifRange);
      assert.ok(stale.body.equals(media), ifRange);
      assert.equal(stale.headers['content-range'], undefined, ifRange);
    }
  });

  it('the same HEAD with a range: the headers of the 206, no body', async () => {
    const a = await same(`/media/${sha(media)}`, 'HEAD', { range: 'bytes=-500' }, true);
    assert.equal(a.status, 206);
    assert.equal(a.headers['content-length'], '500');
    assert.equal(a.headers['content-range'], `bytes ${media.length - 500}-${media.length - 1}/${media.length}`);
    assert.equal(a.body.length, 0);
  });

  it('the same 412 when If-Match names another file', async () => {
    const path = `/media/${sha(media)}`;
    const a = await same(path, 'GET', { 'if-match': '"un-autre-fichier"' }, true);
    assert.equal(a.status, 412);
    assert.equal((JSON.parse(a.body.toString()) as { reason: string }).reason, 'precondition-failed');
    const b = await same(path, 'GET', { 'if-match': `"autre", "${sha(media)}"`, range: 'bytes=0-9' }, true);
    assert.equal(b.status, 206);
  });

  it('a download (?telecharger) is an attachment under its own name', async () => {
    const a = await same(`/media/${sha(media)}?telecharger`, 'GET', { range: 'bytes=0-9' }, false);
    assert.equal(a.status, 206);
    assert.equal(a.headers['content-disposition'], 'attachment; filename="notes.txt"');
  });

  it('static files: their compressed copies are the file, whichever path made them', async () => {
    for (const path of [css, '/sw.js']) {
      const plain = await same(path, 'GET', {}, true);
      const br = await same(path, 'GET', { 'accept-encoding': 'br' }, true);
      const gzip = await same(path, 'GET', { 'accept-encoding': 'gzip' }, true);
      assert.equal(br.headers['content-encoding'], 'br', path);
      assert.equal(gzip.headers['content-encoding'], 'gzip', path);
      assert.ok(brotliDecompressSync(br.body).equals(plain.body), `${path}: br is the file`);
      assert.ok(gunzipSync(gzip.body).equals(plain.body), `${path}: gzip is the file`);
    }
    const sw = await same('/sw.js', 'GET', {}, true);
    assert.equal(sw.headers['service-worker-allowed'], '/');
    assert.equal(sw.headers['cache-control'], 'no-cache');
    assert.match(sw.body.toString(), new RegExp(css.replace(/\./g, '\\.')));
    const file = await same(css, 'GET', {}, true);
    assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(file.headers['cross-origin-resource-policy'], 'same-origin');
  });

  it('the same 404, in the JSON envelope, for what neither has', async () => {
    for (const path of ['/api/v1/content/course:pas-de-contenu-ici', `/media/${'0'.repeat(64)}`]) {
      const a = await same(path, 'GET', { 'accept-encoding': 'gzip' }, false);
      assert.equal(a.status, 404, path);
      assert.match(String(a.headers['content-type']), /^application\/json/);
      assert.equal((JSON.parse(a.body.toString()) as { status: string }).status, 'error');
    }
  });
  /** A tapped link (Chrome's navigation headers), and a browser without Sec-Fetch-* headers. */
  const TAPPED = { 'sec-fetch-mode': 'navigate', accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
  const OLD_BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
  /** A player's and fetch()'s requests: the JSON envelope. */
  const PLAYER = { 'sec-fetch-mode': 'no-cors', accept: '*/*' };

  function visitorPage(a: Raw, status: number, reason: string, sentence: string, what: string): void {
    assert.equal(a.status, status, what);
    assert.match(String(a.headers['content-type']), /^text\/html; charset=utf-8/, what);
    assert.equal(a.headers['cache-control'], 'no-store', what);
    const page = a.body.toString();
    assert.ok(page.includes(`data-reason="${reason}"`), `${what}: ${page.slice(0, 200)}`);
    assert.ok(page.includes(sentence), `${what}: ${sentence}`);
    assert.ok(!page.includes('"status":"error"'), what);
  }

  it("a browser's visit refused (416, 412) gets the visitor's page with the same status on both paths; a player keeps JSON", async () => {
    const path = `/media/${sha(media)}`;
    const range = { range: 'bytes=5000-6000' };
    const fr = await same(path, 'GET', { ...TAPPED, ...range, cookie: 'lang=fr' }, true);
    visitorPage(fr, 416, 'bad-range', 'Un problème est survenu', 'fr 416');
    assert.equal(fr.headers['content-range'], `bytes */${media.length}`);
    assert.ok(fr.body.toString().includes('<html lang="fr"'));
    const bm = await same(path, 'GET', { ...OLD_BROWSER, ...range, cookie: 'lang=bm' }, true);
    visitorPage(bm, 416, 'bad-range', 'Gɛlɛya dɔ donna', 'bm 416');
    const pre = await same(path, 'GET', { ...TAPPED, 'if-match': '"un-autre-fichier"' }, true);
    visitorPage(pre, 412, 'precondition-failed', 'Un problème est survenu', '412');
    const head = await same(path, 'HEAD', { ...TAPPED, ...range }, true);
    assert.equal(head.status, 416);
    assert.match(String(head.headers['content-type']), /^text\/html/);
    assert.equal(head.body.length, 0);
    const notVisits: Record<string, string>[] = [PLAYER, { accept: '*/*' }, {}, { 'sec-fetch-mode': 'cors', accept: 'text/html' }];
    for (const h of notVisits) {
      const a = await same(path, 'GET', { ...h, ...range }, true);
      assert.equal(a.status, 416, JSON.stringify(h));
      assert.equal((JSON.parse(a.body.toString()) as { reason: string }).reason, 'bad-range', JSON.stringify(h));
    }
  });

  it("a browser's visit to a missing file or a bad address gets the visitor's page; a player keeps JSON", async () => {
    const missing = `/media/${'0'.repeat(64)}`;
    visitorPage(await same(missing, 'GET', { ...TAPPED, cookie: 'lang=fr' }, false), 404, 'media-not-found', 'pas encore arrivé sur', '404 fr');
    visitorPage(await same(missing, 'GET', { ...TAPPED, cookie: 'lang=bm' }, false), 404, 'media-not-found', 'Nin fɛn ma se espace la fɔlɔ.', '404 bm');
    // No language chosen yet: French.
    visitorPage(await same(missing, 'GET', OLD_BROWSER, false), 404, 'media-not-found', 'pas encore arrivé sur', '404');
    visitorPage(await same('/media/pas-un-fichier', 'GET', TAPPED, false), 400, 'bad-media-id', 'existe pas.', '400');
    visitorPage(await same('/media/a/b', 'GET', TAPPED, false), 404, 'not-found', 'existe pas.', 'no route');
    for (const path of [missing, '/media/pas-un-fichier']) {
      const a = await same(path, 'GET', PLAYER, false);
      assert.match(String(a.headers['content-type']), /^application\/json/, path);
      assert.equal((JSON.parse(a.body.toString()) as { status: string }).status, 'error');
    }
  });

  it("a file the card cannot read: the visitor's page (500) for a browser, the JSON envelope for a player, on both paths", async () => {
    for (const size of [2000, 300 * 1024]) {
      const bytes = Buffer.alloc(size, size === 2000 ? 'a' : 'b');
      await hub.deps.media.put(bytes, sha(bytes));
      const path = `/media/${sha(bytes)}`;
      // Known to both (a HEAD reads no bytes), then gone from the card.
      for (const port of [fast.port, express.port]) assert.equal((await send(port, path, 'HEAD', {})).status, 200);
      await rm(hub.deps.media.pathOf(sha(bytes)));
      visitorPage(await same(path, 'GET', { ...TAPPED, cookie: 'lang=fr' }, true), 500, 'media-unreadable', 'Un problème est survenu', `${size} B`);
      const a = await same(path, 'GET', PLAYER, true);
      assert.equal(a.status, 500);
      assert.equal((JSON.parse(a.body.toString()) as { reason: string }).reason, 'media-unreadable');
    }
  });
});

function post(port: number, path: string, headers: Record<string, string>, body: string | Buffer | string[]): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { host: 'espace.home.arpa', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, lines: headerLines(res.rawHeaders), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    // Several pieces: sent chunked, without a Content-Length.
    if (Array.isArray(body)) for (const piece of body) req.write(piece);
    else req.end(body);
    req.end();
  });
}

/** The headers (but Date), with the seconds left in the rate-limit window (a second may tick between the two). */
function comparableWrite(r: Raw): Record<string, unknown> {
  const { date: _date, 'content-length': _length, ...rest } = r.headers;
  const seconds = (v: unknown) => (typeof v === 'string' ? v.replace(/reset=\d+/, 'reset=…').replace(/^\d+$/, '…') : v);
  return { ...rest, ratelimit: seconds(rest.ratelimit), 'retry-after': seconds(rest['retry-after']) };
}

/**
 * Issue 18, item 6: submissions are answered on the fast path, and as Express answers them:
 * the same status, headers and envelope for a stored registration, each refusal and the
 * phone's limit reached, each path with its own counter (as each handler has).
 */
describe('the fast path and Express answer submissions alike', () => {
  const BODY_BYTES = 2048;
  let hub: TestHub;
  let fast: { server: Server; port: number };
  let express: { server: Server; port: number };
  let answeredFast = false;
  const json = { 'content-type': 'application/json' };
  const registration = { fullName: 'Fatoumata Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true };

  before(async () => {
    hub = await startTestHub({ hubId: 'kayes-01', limits: { bodyBytes: BODY_BYTES, submissionsPerMinute: 40 } });
    ({ fast, express } = await bothPaths(hub, (b) => (answeredFast = b)));
  });
  after(async () => {
    for (const s of [fast, express]) await new Promise<void>((ok) => s.server.close(() => ok()));
    await hub.stop();
  });

  /** Sends the same write once through each (each counts it once) and compares; the fast one's answer. */
  async function same(path: string, headers: Record<string, string>, body: string | Buffer | string[], viaFast: boolean): Promise<Raw> {
    const a = await post(fast.port, path, headers, body);
    const what = `POST ${path} ${JSON.stringify(headers)} ${String(body).slice(0, 60)}`;
    assert.equal(answeredFast, viaFast, `${what}: answered by ${answeredFast ? 'the fast path' : 'Express'}`);
    const b = await post(express.port, path, headers, body);
    assert.equal(a.status, b.status, what);
    assert.deepEqual(comparableWrite(a), comparableWrite(b), what);
    if (a.status !== 201) {
      assert.ok(a.body.equals(b.body), `${what}: the same envelope`);
      assert.equal(a.headers['content-length'], b.headers['content-length'], what);
    }
    return a;
  }

  function envelope(r: Raw): { status: string; reason: string; details: string } {
    assert.match(String(r.headers['content-type']), /^application\/json; charset=utf-8$/);
    assert.equal(r.headers['cache-control'], 'no-store');
    return JSON.parse(r.body.toString()) as { status: string; reason: string; details: string };
  }

  it('a registration: 201 once stored, the same headers, an id of its own on each path', async () => {
    const a = await same('/api/v1/submissions/registration', json, JSON.stringify(registration), true);
    assert.equal(a.status, 201);
    assert.equal(a.headers['cache-control'], 'no-store');
    assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(a.headers['content-security-policy'], 'the security headers');
    assert.match(String(a.headers.ratelimit), /^limit=40, remaining=\d+, reset=\d+$/);
    const body = JSON.parse(a.body.toString()) as { id: string; status: string };
    assert.deepEqual(Object.keys(body), ['id', 'status']);
    assert.match(body.id, /^kayes-01:registration:[0-9a-z]+$/);
    assert.equal(body.status, 'counted-here');
    assert.equal(a.headers['content-length'], String(a.body.length));
    // Acknowledged means stored.
    const doc = (await hub.deps.dbs.submissions.get(body.id)) as unknown as Record<string, unknown>;
    assert.equal(doc.fullName, 'Fatoumata Traoré');
    assert.equal(doc.type, 'registration');
  });

  it('a body in chunks, with a BOM, or as an array: read as Express reads it', async () => {
    const path = '/api/v1/submissions/registration';
    const text = JSON.stringify(registration);
    assert.equal((await same(path, json, [text.slice(0, 20), text.slice(20)], true)).status, 201);
    assert.equal((await same(path, json, `\uFEFF  ${text}`, true)).status, 201);
    assert.equal((await same(path, { 'content-type': 'application/json; charset=utf-8' }, text, true)).status, 201);
    assert.equal(envelope(await same(path, json, '[1, 2]', true)).reason, 'invalid-submission');
    // Nothing: read as {}, so the schema names what is missing.
    assert.equal(envelope(await same(path, json, '', true)).reason, 'invalid-submission');
  });

  it('invalid JSON: 400 malformed-json', async () => {
    for (const body of ['{"fullName": "Awa",', '"un texte"', 'null', 'nimporte quoi']) {
      const a = await same('/api/v1/submissions/registration', json, body, true);
      assert.equal(a.status, 400, body);
      assert.deepEqual(envelope(a).reason, 'malformed-json', body);
    }
  });

  it('a schema error: 422 invalid-submission naming the fields', async () => {
    const a = await same('/api/v1/submissions/registration', json, JSON.stringify({ ...registration, sex: 'X', consent: false, extra: 1 }), true);
    assert.equal(a.status, 422);
    const e = envelope(a);
    assert.equal(e.status, 'error');
    assert.equal(e.reason, 'invalid-submission');
    for (const field of ['sex', 'consent']) assert.match(e.details, new RegExp(field), field);
    // Another type, through the same code: a vote for a consultation this hub does not have.
    const vote = await same(
      '/api/v1/submissions/response',
      json,
      JSON.stringify({ consultation: 'consultation:aucune', option: 'oui', deviceId: 'telephone-1' }),
      true
    );
    assert.equal(vote.status, 422);
    assert.equal(envelope(vote).reason, 'consultation-not-found');
  });

  it('too large a body: 413, whether its length says so or its chunks do', async () => {
    const big = JSON.stringify({ ...registration, organisation: 'x'.repeat(BODY_BYTES) });
    for (const body of [big, [big.slice(0, 1000), big.slice(1000)]]) {
      const a = await same('/api/v1/submissions/registration', json, body, true);
      assert.equal(a.status, 413);
      const e = envelope(a);
      assert.equal(e.reason, 'body-too-large');
      assert.match(e.details, new RegExp(String(BODY_BYTES)));
    }
    // The connection is still usable: the rest of the body was read off.
    assert.equal((await same('/api/v1/submissions/registration', json, JSON.stringify(registration), true)).status, 201);
  });

  it('the wrong content type: 415 json-required, from Express on both', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const a = await same('/api/v1/submissions/registration', { 'content-type': type }, JSON.stringify(registration), false);
      assert.equal(a.status, 415, type);
      assert.equal(envelope(a).reason, 'json-required', type);
    }
    // Upper case is read on the fast path; another charset is left to Express's parser.
    assert.equal((await same('/api/v1/submissions/registration', { 'content-type': 'Application/JSON' }, JSON.stringify(registration), true)).status, 201);
    const latin = await same('/api/v1/submissions/registration', { 'content-type': 'application/json; charset=latin1' }, JSON.stringify(registration), false);
    assert.equal(latin.status, 415);
  });

  it('an unknown type: 404 unknown-submission-type, counted like any write', async () => {
    for (const type of ['usage', 'inconnu']) {
      const a = await same(`/api/v1/submissions/${type}`, json, JSON.stringify(registration), true);
      assert.equal(a.status, 404, type);
      assert.equal(envelope(a).reason, 'unknown-submission-type', type);
      assert.ok(a.headers.ratelimit, type);
    }
  });

  it("the phone's limit reached: 429 with Retry-After, forms and API on one counter", async () => {
    const path = '/api/v1/submissions/registration';
    const first = await same(path, json, JSON.stringify(registration), true);
    let left = Number(/remaining=(\d+)/.exec(String(first.headers.ratelimit))![1]);
    // A portal form counts on the same counter (one write each way).
    for (const port of [fast.port, express.port]) {
      const form = await post(port, '/participer/inscription', { 'content-type': 'application/x-www-form-urlencoded' }, 'fullName=A');
      assert.match(String(form.headers.ratelimit), new RegExp(`remaining=${left - 1},`), 'the form counted on the same counter');
    }
    left -= 1;
    for (; left > 0; left -= 1) assert.equal((await same(path, json, '{}', true)).status, 422);
    const a = await same(path, json, JSON.stringify(registration), true);
    assert.equal(a.status, 429);
    assert.equal(envelope(a).reason, 'too-many-submissions');
    assert.match(String(a.headers['retry-after']), /^\d+$/);
    assert.match(String(a.headers.ratelimit), /remaining=0,/);
  });
});
