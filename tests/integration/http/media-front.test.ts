import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MEDIA_FRONT, MEDIA_SECTION } from '../../../hub/http/index.js';
import { NGINX_BIN, sendRaw, startNginxFront, startTestHub, tempDir, type NginxFront, type RawAnswer, type TestHub } from '../../support/index.js';

type Raw = RawAnswer;
const send = sendRaw;

/** All headers but those of the connection and the server (Date, Server, Connection, Keep-Alive). */
function comparable(r: Raw): Record<string, unknown> {
  const { date: _d, server: _s, connection: _c, 'keep-alive': _k, ...rest } = r.headers;
  return rest;
}

/** Every header line but those of the connection and the server, sorted: a header sent twice shows twice. */
function lines(r: Raw): string[] {
  const skip = new Set(['date', 'server', 'connection', 'keep-alive']);
  return r.lines
    .filter(([name]) => !skip.has(name))
    .map(([name, value]) => `${name}: ${value}`)
    .sort();
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Until `done` holds (something the hub does in the background), at most about ten seconds. */
async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; !(await done()); i += 1) {
    if (i > 500) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue 18, item 5: the Pi's nginx front (provisioning's configuration, Debian's nginx) before
 * the real hub gives the same status, headers and bytes as the hub alone, and the hub still
 * counts what is played.
 */
describe('the nginx front answers media as the hub does', { skip: NGINX_BIN ? false : 'nginx is not installed (make test-deps)' }, () => {
  let hub: TestHub;
  let front: NginxFront;
  const dir = tempDir('espace-front-');
  // Bigger than one of the hub's single reads (256 KB), so the hub streams it too.
  const video = Buffer.alloc(300_000 + 17, 0);
  for (let i = 0; i < video.length; i += 1) video[i] = (i * 7 + (i >> 8)) & 0xff;
  const id = sha(video);
  const small = Buffer.from('x'.repeat(3000) + 'fin');
  // A member's question to the mentors, private: its voice never gets a public link.
  const voice = Buffer.from('OggS private voice '.repeat(200));
  // A picture anyone may see, until a guarded doc (a community post) comes to name it.
  const picture = Buffer.from('\x89PNG picture '.repeat(100));
  // Plain text: its type and charset from the link's extension.
  const notes = Buffer.from('Réunion du conseil communal, ordre du jour.\n');
  const linkOf = (bytes: Uint8Array, ext: string) => join(hub.dataDir, MEDIA_FRONT.public, sha(bytes).slice(0, 2), `${sha(bytes)}.${ext}`);
  /** Requests that reached the hub (through the front or not). */
  let asked = 0;

  before(async () => {
    hub = await startTestHub({ mediaFront: true });
    hub.server.on('request', () => (asked += 1));
    for (const [bytes, mime, filename] of [
      [video, 'video/mp4', 'Réunion du conseil.mp4'],
      [small, 'application/pdf', 'budget.pdf'],
      [voice, 'audio/ogg', 'question.ogg'],
      [picture, 'image/png', 'photo.png'],
      [notes, 'text/plain', 'notes.txt'],
    ] as const) {
      await hub.deps.media.put(bytes, sha(bytes));
      await hub.deps.dbs.media.put({ _id: `media:${sha(bytes)}`, type: 'media', sha256: sha(bytes), size: bytes.length, mime, filename, priority: 3 });
    }
    await hub.deps.dbs.content.put({
      _id: 'answer:question-kayes-01-1',
      type: 'answer',
      question: 'question:kayes-01-1',
      visibility: 'private',
      asked: { voice: sha(voice), lang: 'fr', author: { name: 'Awa', code: 'M-0001', hub: 'kayes-01' }, at: new Date().toISOString() },
      answers: [],
      updatedAt: new Date().toISOString(),
    });
    // The front's first request for each file asks the hub, which links the public ones (the
    // front is started after, so that its cache of names never saw them missing).
    for (const bytes of [video, small, voice, picture, notes])
      await send(hub.port, `/media/${sha(bytes)}`, 'GET', { 'x-espace-front': '1', range: 'bytes=1-2' });
    await until('the public files linked', () => [linkOf(video, 'mp4'), linkOf(picture, 'png'), linkOf(notes, 'txt')].every((l) => existsSync(l)));
    front = await startNginxFront(dir.path, hub.port, hub.dataDir);
  });
  after(async () => {
    await front?.stop();
    await hub?.stop();
    dir.remove();
  });

  /** The same request to the hub alone and through the front: the same answer. */
  async function same(path: string, method: string, headers: Record<string, string> = {}): Promise<Raw> {
    const a = await send(hub.port, path, method, headers);
    const b = await send(front.port, path, method, headers);
    const what = `${method} ${path} ${JSON.stringify(headers)}`;
    assert.equal(b.status, a.status, what);
    assert.deepEqual(comparable(b), comparable(a), what);
    assert.deepEqual(lines(b), lines(a), `${what}: the same header lines`);
    assert.ok(b.body.equals(a.body), `${what}: the same bytes`);
    return b;
  }

  it('whole files, ranges, If-Range, revalidations, 416, HEAD: the same answers', async () => {
    const file = `/media/${id}`;
    const etag = `"${id}"`;
    const cases: [string, Record<string, string>, number][] = [
      ['GET', {}, 200],
      ['HEAD', {}, 200],
      ['GET', { range: 'bytes=1000-66535' }, 206],
      ['HEAD', { range: 'bytes=1000-66535' }, 206],
      ['GET', { range: 'bytes=-500' }, 206],
      ['GET', { range: 'bytes=299000-' }, 206],
      ['GET', { range: 'bytes=0-' }, 206],
      ['GET', { range: 'bytes=0-999999999' }, 206],
      ['GET', { range: 'bytes=10-20', 'if-range': etag }, 206],
      ['GET', { range: 'bytes=10-20', 'if-range': `W/${etag}` }, 200],
      ['GET', { range: 'bytes=10-20', 'if-range': '"another"' }, 200],
      ['GET', { range: 'bytes=10-20', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 200],
      ['GET', { range: 'bytes=0-10,20-30,100-200' }, 200],
      ['GET', { range: 'bytes=0-10, 5-20' }, 206],
      ['GET', { range: 'bytes=abc' }, 200],
      ['GET', { range: 'items=0-10' }, 200],
      ['GET', { range: 'bytes=400000-', 'if-range': `"${id}"` }, 416],
      ['GET', { 'if-none-match': etag }, 304],
      ['GET', { 'if-none-match': `W/${etag}` }, 304],
      ['GET', { 'if-none-match': '"another"' }, 200],
      ['GET', { 'if-match': etag }, 200],
      ['GET', { 'if-match': '"another"' }, 412],
      ['GET', { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() }, 200],
      ['GET', { 'if-unmodified-since': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 200],
    ];
    // Twice: nginx keeps the public link's descriptor open after the first.
    for (const round of [1, 2]) {
      for (const [method, headers, status] of cases) {
        const r = await same(file, method, headers);
        assert.equal(r.status, status, `round ${round}: ${method} ${JSON.stringify(headers)}`);
      }
    }
    // A range past the end, or backwards, sent to nginx (a public file): the hub's 416, the same
    // header lines, none of the file's (hub/http/README.md); the edges of the file around it.
    const size = video.length;
    for (const [range, status] of [
      ['bytes=400000-', 416],
      ['bytes=5-3', 416],
      ['bytes=299999-299998', 416],
      [`bytes=${size}-`, 416],
      [`bytes=${size}-${size + 10}`, 416],
      [`bytes=${size + 1}-`, 416],
      ['bytes=1000000-', 416],
      ['bytes=999999999999999-', 416],
      [`bytes=${size - 1}-`, 206],
      [`bytes=${size - 1}-${size - 1}`, 206],
      ['bytes=299000-299000', 206],
      ['bytes=290017-', 206],
      ['bytes=99999-', 206],
      ['bytes=0-0', 206],
    ] as const) {
      for (const method of ['GET', 'HEAD']) assert.equal((await same(file, method, { range })).status, status, `${method} ${range}`);
    }
    // A browser's own visit: the portal's page for the 416, the same through the front.
    const tapped = { 'sec-fetch-mode': 'navigate', accept: 'text/html,*/*;q=0.8', cookie: 'lang=fr' };
    const page = await same(file, 'GET', { ...tapped, range: 'bytes=400000-' });
    assert.equal(page.status, 416);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const whole = await same(file, 'GET');
    assert.ok(whole.body.equals(video));
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.equal(whole.headers.etag, etag);
    assert.equal(whole.headers['last-modified'], undefined, 'no Last-Modified, as the hub');
    assert.match(String(whole.headers['content-security-policy']), /^sandbox/);
    const range = await same(file, 'GET', { range: 'bytes=1000-66535' });
    assert.ok(range.body.equals(video.subarray(1000, 66536)));
    assert.equal(range.headers['content-range'], `bytes 1000-66535/${video.length}`);
    // A file to download: its own name, the same through the front.
    const pdf = await same(`/media/${sha(small)}`, 'GET');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="budget.pdf"/);
    await same(`/media/${sha(small)}?telecharger`, 'GET', { range: 'bytes=5-9' });
    // Plain text and a picture, sent by nginx: their types from the links' extensions.
    const n = asked;
    assert.equal((await same(`/media/${sha(notes)}`, 'GET')).headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal((await same(`/media/${sha(picture)}`, 'GET', { range: 'bytes=10-20' })).headers['content-type'], 'image/png');
    assert.equal(asked, n + 2, 'only the hub alone was asked');
  });

  it('an unknown file and a bad address: the same JSON envelope', async () => {
    const missing = await same(`/media/${'0'.repeat(64)}`, 'GET');
    assert.equal(missing.status, 404);
    assert.equal((JSON.parse(missing.body.toString()) as { reason: string }).reason, 'media-not-found');
    assert.equal((await same('/media/not-a-hash', 'GET')).status, 400);
  });

  it("a browser's visit to an unknown file or a bad address: the portal's page in French through the front too", async () => {
    const tapped = { 'sec-fetch-mode': 'navigate', accept: 'text/html,*/*;q=0.8', cookie: 'lang=fr' };
    for (const [path, status] of [
      [`/media/${'0'.repeat(64)}`, 404],
      ['/media/not-a-hash', 400],
    ] as const) {
      const page = await same(path, 'GET', tapped);
      assert.equal(page.status, status, path);
      assert.match(String(page.headers['content-type']), /^text\/html; charset=utf-8/, path);
      assert.match(page.body.toString(), /<html lang="fr"/, path);
    }
  });

  it('public files are sent by the front without asking the hub; others, and anything conditional, ask it', async () => {
    const file = `/media/${id}`;
    const before = asked;
    for (const range of ['', 'bytes=1000-66535', 'bytes=0-', 'bytes=299000-', 'bytes=5-5', 'bytes=99-100']) {
      assert.equal((await send(front.port, file, 'GET', range ? { range } : {})).status, range ? 206 : 200);
    }
    assert.equal((await send(front.port, file, 'HEAD', {})).status, 200);
    assert.equal(asked, before, 'nginx answered the public file alone');
    // Not public, or not plain: the hub answers.
    for (const [path, headers] of [
      [`/media/${sha(voice)}`, { range: 'bytes=100-200' }],
      [`/media/${sha(small)}`, {}],
      [file, { 'if-none-match': `"${id}"` }],
      [file, { range: 'bytes=-500' }],
      // Backwards: nginx's pattern that reads the Range sends it to the hub before opening anything.
      [file, { range: 'bytes=5-3' }],
      [file, { range: 'bytes=100-99' }],
      [`${file}?telecharger`, {}],
    ] as const) {
      const n = asked;
      await send(front.port, path, 'GET', headers);
      assert.equal(asked, n + 1, `${path} ${JSON.stringify(headers)}: asked the hub`);
    }
    assert.equal(existsSync(linkOf(voice, 'ogg')), false, 'a private voice has no public link');
    assert.equal(existsSync(linkOf(small, 'pdf')), false, 'a download has no public link');
  });

  it('a file a guarded doc comes to name loses its public link', async () => {
    assert.ok(existsSync(linkOf(picture, 'png')));
    await hub.deps.dbs.content.put({
      _id: 'post:kayes-01-1',
      type: 'post',
      source: 'kayes-01:post:1',
      topic: 'topic:eau',
      lang: 'fr',
      author: { name: 'Awa', code: 'M-0001', hub: 'kayes-01' },
      voice: sha(picture),
      status: 'hidden',
      createdAt: new Date().toISOString(),
    });
    await until('the link taken away', () => !existsSync(linkOf(picture, 'png')));
    // Asked again through the front, the hub does not link it again.
    await send(hub.port, `/media/${sha(picture)}`, 'GET', { 'x-espace-front': '1' });
    await hub.deps.usage.flush();
    assert.equal(existsSync(linkOf(picture, 'png')), false);
  });

  it('the bytes come from nginx (X-Accel-Redirect or a public link), and the hub counts each play', async () => {
    await hub.deps.usage.flush();
    const doc = () => hub.deps.dbs.submissions.get(`${hub.deps.config.hubId}:usage:${new Date().toISOString().slice(0, 10)}`).catch(() => ({ pageViews: {} }));
    const counted = async () => {
      await hub.deps.usage.flush();
      return ((await doc()) as { pageViews: Record<string, number> }).pageViews[MEDIA_SECTION] ?? 0;
    };
    const start = await counted();
    // Asked of the hub as the front asks it: the file named, no bytes.
    const accel = await send(hub.port, `/media/${id}`, 'GET', { 'x-espace-front': '1', range: 'bytes=5-9' });
    assert.equal(accel.headers['x-accel-redirect'], `/_espace-media/ranges/${id.slice(0, 2)}/${id}`);
    assert.equal(accel.body.length, 0);
    // Plays (a whole file, a range from 0) sent by nginx itself, seeks and HEADs, which are not
    // plays, and plays the hub answers (a private file, a revalidated range from 0).
    const plays = 12;
    for (let i = 0; i < plays / 2; i += 1) {
      await send(front.port, `/media/${id}`, 'GET', {});
      await send(front.port, `/media/${id}`, 'GET', { range: 'bytes=0-1023' });
      await send(front.port, `/media/${id}`, 'GET', { range: 'bytes=5000-6000' });
      await send(front.port, `/media/${id}`, 'HEAD', {});
    }
    await send(front.port, `/media/${sha(voice)}`, 'GET', {});
    await send(front.port, `/media/${id}`, 'GET', { range: 'bytes=0-99', 'if-range': `"${id}"` });
    await until(`${plays + 2} plays counted`, async () => (await counted()) - start >= plays + 2);
    assert.equal((await counted()) - start, plays + 2);
  });

  it("a phone's address reaches the hub through the front, not nginx's loopback one", async () => {
    // The hub's own port, from its own machine: a sync may be started.
    assert.notEqual((await send(hub.port, '/api/v1/sync/now', 'POST', {})).status, 403);
    // A "phone" at 127.0.0.2 through the front: the hub sees that address, not nginx's 127.0.0.1.
    const phone = await send(front.port, '/api/v1/sync/now', 'POST', {}, '127.0.0.2');
    assert.equal(phone.status, 403);
    assert.equal((JSON.parse(phone.body.toString()) as { reason: string }).reason, 'loopback-only');
    // What a phone claims is replaced by the front, never appended to.
    const spoofed = await send(front.port, '/api/v1/sync/now', 'POST', { 'x-forwarded-for': '127.0.0.1' }, '127.0.0.2');
    assert.equal(spoofed.status, 403);
  });
});

/**
 * Issue 18, item 5: while the hub is down (restarting), nginx goes on sending public files, and
 * the plays it reports are refused by the closed port: the error log on the card must not grow
 * with them. Plays are counted again once the hub is back; only nginx's are counted.
 */
describe('plays while the hub is down, and forged plays', { skip: NGINX_BIN ? false : 'nginx is not installed (make test-deps)' }, () => {
  const dir = tempDir('espace-front-down-');
  const data = tempDir('espace-front-data-');
  let hub: TestHub | undefined;
  let front: NginxFront;
  let port: number;
  const video = Buffer.from('ftypisom video '.repeat(1000));
  const id = sha(video);
  const errorLines = () => readFileSync(join(dir.path, 'error.log'), 'utf8').split('\n').filter(Boolean);
  const counted = async (h: TestHub) => {
    await h.deps.usage.flush();
    const doc = (await h.deps.dbs.submissions
      .get(`${h.deps.config.hubId}:usage:${new Date().toISOString().slice(0, 10)}`)
      .catch(() => ({ pageViews: {} }))) as { pageViews: Record<string, number> };
    return doc.pageViews[MEDIA_SECTION] ?? 0;
  };
  const play = async (range?: string) => {
    const r = await send(front.port, `/media/${id}`, 'GET', range ? { range } : {});
    assert.ok(r.body.equals(range ? video.subarray(0, 100) : video), 'nginx sent the file');
  };

  before(async () => {
    hub = await startTestHub({ mediaFront: true }, data.path);
    port = hub.port;
    await hub.deps.media.put(video, id);
    await hub.deps.dbs.media.put({ _id: `media:${id}`, type: 'media', sha256: id, size: video.length, mime: 'video/mp4', filename: 'v.mp4', priority: 3 });
    await send(hub.port, `/media/${id}`, 'GET', { 'x-espace-front': '1', range: 'bytes=1-2' });
    await until('the public link', () => existsSync(join(data.path, MEDIA_FRONT.public, id.slice(0, 2), `${id}.mp4`)));
    front = await startNginxFront(dir.path, hub.port, hub.dataDir);
  });
  after(async () => {
    await front?.stop();
    await hub?.stop();
    dir.remove();
    data.remove();
  });

  it('a forged datagram is not counted; the key is readable by its owner only', async () => {
    const h = hub!;
    assert.equal(statSync(join(data.path, MEDIA_FRONT.playsKey)).mode & 0o777, 0o600);
    const start = await counted(h);
    const socket = createSocket('udp4');
    const forge = (m: string) => new Promise<void>((ok, ko) => socket.send(m, port, '127.0.0.1', (err) => (err ? ko(err) : ok())));
    for (const m of [
      `<190>Dec  3 09:32:18 espace_play: ${id}`,
      `<190>Dec  3 09:32:18 espace_play: none ${id}`,
      `<190>Dec  3 09:32:18 espace_play: ${'0'.repeat(32)} ${id}`,
    ])
      for (let i = 0; i < 5; i += 1) await forge(m);
    socket.close();
    // One play by nginx, after the forged ones: once it is counted, they were all read.
    await play();
    await until('the play counted', async () => (await counted(h)) > start);
    assert.equal((await counted(h)) - start, 1, 'only the play nginx sent');
  });

  it('100 plays while the hub is down: nginx sends them, its error log stays as it was; counted again once the hub is back', async () => {
    await hub!.close();
    hub = undefined;
    const before = errorLines();
    for (let i = 0; i < 50; i += 1) {
      await play();
      await play('bytes=0-99');
    }
    const added = errorLines().slice(before.length);
    assert.ok(added.length <= 2, `error log lines added by 100 plays while the hub was down:\n${added.join('\n')}`);
    hub = await startTestHub({ mediaFront: true, port }, data.path);
    const h = hub;
    const start = await counted(h);
    for (let i = 0; i < 3; i += 1) await play();
    await until('the plays counted again', async () => (await counted(h)) - start >= 3);
    assert.equal((await counted(h)) - start, 3);
  });
});
