import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Usage } from '../../../content/index.js';
import type { PageCache } from '../../../hub/portal/index.js';
import { startTestHub, type TestHub } from '../../support/index.js';
import { checkSubmission } from '../../../hub/submissions/index.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** As sent on the wire (still compressed). */
  body: Buffer;
}

/** A GET over raw node:http, so the bytes and codings are the ones the hub sent. */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(r: Raw): string {
  const coding = r.headers['content-encoding'];
  const body = coding === 'gzip' ? gunzipSync(r.body) : coding === 'br' ? brotliDecompressSync(r.body) : r.body;
  return body.toString('utf8');
}

/** Headers that must be the same whoever answered: all but the date, the length and the cookie's expiry. */
function comparable(r: Raw): Record<string, unknown> {
  const { date: _date, 'content-length': _len, 'transfer-encoding': _te, connection: _c, 'keep-alive': _ka, 'set-cookie': cookie, ...rest } = r.headers;
  return { ...rest, 'set-cookie': (cookie as string[] | undefined)?.map((c) => c.replace(/Expires=[^;]+/, 'Expires=…')) };
}

/** Resolves once the hub has seen a change of its content db (its change feed runs just after the write). */
async function contentGenerationAfter(hub: TestHub, before: number): Promise<void> {
  for (let i = 0; i < 200 && hub.deps.catalog.generation === before; i += 1) await new Promise((r) => setTimeout(r, 10));
  assert.notEqual(hub.deps.catalog.generation, before, 'the hub did not see the change');
}

/** An official's answer the facilitator published (a feedback doc the officials page shows), with a private message. */
async function publishAnswer(hub: TestHub, id: string, answer: string): Promise<void> {
  const [official] = await hub.deps.catalog.all('official');
  const now = new Date().toISOString();
  await hub.deps.dbs.submissions.put({
    _id: `${hub.deps.config.hubId}:feedback:${id}`,
    type: 'feedback',
    hubId: hub.deps.config.hubId,
    official: official!._id,
    message: 'privé',
    status: 'answered',
    answerPublic: true,
    answer,
    createdAt: now,
    updatedAt: now,
  });
}

const FR = { cookie: 'lang=fr' };
/** A cookie the pages do not know: the request bypasses the cache, so this is a fresh render. */
const FRESH = { cookie: 'lang=fr; essai=1' };
const CONSULTATION = '/participer/priorites-pdesc-kayes';

describe('portal page cache on the raw fast path', () => {
  let hub: TestHub;
  let cache: PageCache;
  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    cache = hub.deps.pages;
  });
  after(() => hub.stop());

  it('answers a second request from the cache, byte-identical to a fresh render, with the same headers and in every coding', async () => {
    for (const path of [
      '/',
      '/apprendre',
      '/apprendre/plaidoyer',
      '/apprendre/plaidoyer/1?fini=1',
      '/sinformer',
      '/elus',
      '/organisations?domaine=gouvernance',
      CONSULTATION,
      '/agenda',
      '/langue?next=%2Fagenda',
    ]) {
      const fresh = await get(hub.url, path, FRESH);
      assert.equal(fresh.status, 200, path);
      const first = await get(hub.url, path, FR);
      const hits = cache.hits;
      const hit = await get(hub.url, path, FR);
      assert.equal(cache.hits, hits + 1, `${path} answered from the cache`);
      assert.equal(hit.status, 200);
      assert.ok(hit.body.equals(fresh.body), `${path}: the cached page is the fresh render`);
      assert.ok(hit.body.equals(first.body));
      assert.deepEqual(comparable(hit), comparable(first), `${path}: the same headers as Express sent`);
      assert.equal(hit.headers['content-length'], String(hit.body.length));
      assert.equal(hit.headers['etag'], first.headers['etag']);

      for (const [accept, coding] of [
        ['gzip, deflate', 'gzip'],
        ['gzip, deflate, br, zstd', 'br'],
      ] as const) {
        const before = cache.hits;
        const zipped = await get(hub.url, path, { ...FR, 'accept-encoding': accept });
        assert.equal(cache.hits, before + 1);
        assert.equal(zipped.headers['content-encoding'], coding, `${path} ${accept}`);
        assert.equal(zipped.headers['content-length'], String(zipped.body.length));
        assert.equal(decoded(zipped), fresh.body.toString('utf8'));
        // Express, with compression(), would have chosen the same coding.
        const express = await get(hub.url, path, { ...FRESH, 'accept-encoding': accept });
        assert.equal(express.headers['content-encoding'], coding);
        assert.equal(decoded(express), decoded(zipped));
      }
      // Weighted lists too, by the same negotiation (deflate is not offered; q=0 is a refusal).
      const before = cache.hits;
      const weighted = await get(hub.url, path, { ...FR, 'accept-encoding': 'deflate;q=1, gzip;q=0.5' });
      assert.equal(cache.hits, before + 1);
      assert.equal(weighted.headers['content-encoding'], 'gzip');
      const refused = await get(hub.url, path, { ...FR, 'accept-encoding': 'gzip;q=0, br;q=0' });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.ok(refused.body.equals(fresh.body));
    }
  });

  it('renders a page once however many phones ask for it at once', async () => {
    const stored = cache.stored;
    const hits = cache.hits;
    const pages = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get(hub.url, '/sinformer', { cookie: 'lang=bm', ...(i % 2 ? { 'accept-encoding': 'gzip' } : {}) }))
    );
    assert.equal(cache.stored, stored + 1, 'one render');
    const fresh = (await get(hub.url, '/sinformer', { cookie: 'lang=bm; essai=1' })).body.toString();
    for (const page of pages) {
      assert.equal(page.status, 200);
      assert.equal(decoded(page), fresh);
      assert.equal(page.headers['etag'], pages[0]!.headers['etag']);
    }
    assert.ok(cache.hits - hits < 20, 'some waited for the render rather than hit the cache');
  });

  it('answers 304 to a revalidation with the page’s ETag, and sends the visit cookie', async () => {
    const page = await get(hub.url, '/sinformer', FR);
    const etag = page.headers['etag'] as string;
    const hits = cache.hits;
    const again = await get(hub.url, '/sinformer', { ...FR, 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers['etag'], etag);
    assert.match(String(again.headers['set-cookie']), /^visit=1; Max-Age=1800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    assert.equal(cache.hits, hits + 1);
    // An old ETag gets the page.
    const stale = await get(hub.url, '/sinformer', { ...FR, 'if-none-match': '"old"' });
    assert.equal(stale.status, 200);
    assert.ok(stale.body.equals(page.body));
  });

  it('shows a content change on the next request', async () => {
    const [official] = await hub.deps.catalog.all('official');
    assert.ok(official);
    const before = await get(hub.url, '/elus', FR);
    assert.ok(before.body.toString().includes(official.name));
    await get(hub.url, '/elus', FR);
    const gen = hub.deps.catalog.generation;
    await hub.deps.dbs.content.put({ ...official, name: 'Aminata Nouveau-Nom' } as never);
    await contentGenerationAfter(hub, gen);
    const after = await get(hub.url, '/elus', FR);
    assert.ok(after.body.toString().includes('Aminata Nouveau-Nom'));
    assert.notEqual(after.headers['etag'], before.headers['etag']);
    assert.ok(after.body.equals((await get(hub.url, '/elus', FRESH)).body));
    // And the new page is cached in turn.
    const hits = cache.hits;
    assert.ok((await get(hub.url, '/elus', FR)).body.equals(after.body));
    assert.equal(cache.hits, hits + 1);
  });

  it('shows an answer published to the submissions db on the next request', async () => {
    await get(hub.url, '/elus', FR);
    await publishAnswer(hub, 'zzpagecache01', 'Réponse publiée pour le cache.');
    let page = '';
    for (let i = 0; i < 100 && !page.includes('Réponse publiée pour le cache.'); i += 1) {
      page = (await get(hub.url, '/elus', FR)).body.toString();
      if (!page.includes('Réponse publiée')) await new Promise((r) => setTimeout(r, 10));
    }
    assert.match(page, /Réponse publiée pour le cache\./);
    assert.doesNotMatch(page, /privé/);
  });

  it('renders the officials page again for an answer it shows, not for a registration', async () => {
    const settled = () => cache.gens.settled!();
    await get(hub.url, '/elus', FR);
    await settled();
    await get(hub.url, '/elus', FR);
    const stored = cache.stored;
    const hits = cache.hits;
    // A phone registers: the officials page shows nothing of it.
    await hub.deps.submissions.submit(
      checkSubmission('registration', { fullName: 'Fatoumata Traoré', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true }),
      { hubId: hub.deps.config.hubId }
    );
    await settled();
    const same = await get(hub.url, '/elus', FR);
    assert.equal(cache.hits, hits + 1, 'still from the cache');
    assert.equal(cache.stored, stored, 'not rendered again');
    // The facilitator publishes an answer: a feedback doc, which the page shows.
    await publishAnswer(hub, 'zzpagecache02', 'Une autre réponse publiée.');
    await settled();
    const after = await get(hub.url, '/elus', FR);
    assert.equal(cache.stored, stored + 1, 'rendered again');
    assert.match(after.body.toString(), /Une autre réponse publiée\./);
    assert.notEqual(after.headers['etag'], same.headers['etag']);
    assert.ok(after.body.equals((await get(hub.url, '/elus', FRESH)).body));
  });

  it('answers a search page from the cache per words and language, until the index changes', async () => {
    const path = '/recherche?q=zorbalique%20budget';
    const first = await get(hub.url, path, FR);
    assert.equal(first.status, 200);
    const hits = cache.hits;
    const again = await get(hub.url, path, FR);
    assert.equal(cache.hits, hits + 1, 'from the cache');
    assert.ok(again.body.equals(first.body));
    assert.ok(again.body.equals((await get(hub.url, path, FRESH)).body), 'the cached page is the fresh render');
    const bm = await get(hub.url, path, { cookie: 'lang=bm' });
    assert.match(bm.body.toString(), /<html lang="bm">/);
    assert.match((await get(hub.url, path, FR)).body.toString(), /<html lang="fr">/, 'languages do not mix');
    assert.doesNotMatch(first.body.toString(), /Zorbalique du cache/);
    // New content the words find: the index changes with it, and so does the page.
    const [doc] = await hub.deps.catalog.all('document');
    const gen = hub.deps.catalog.generation;
    await hub.deps.dbs.content.put({ ...doc!, _id: 'document:zorbalique', _rev: undefined, title: { fr: 'Zorbalique du cache' } } as never);
    await contentGenerationAfter(hub, gen);
    const after = (await get(hub.url, path, FR)).body.toString();
    assert.match(after, /Zorbalique du cache/);
  });

  it('keeps one page per language, and follows a language switch', async () => {
    const fr = await get(hub.url, '/apprendre', FR);
    const bm = await get(hub.url, '/apprendre', { cookie: 'lang=bm' });
    assert.match(fr.body.toString(), /<html lang="fr">/);
    assert.match(bm.body.toString(), /<html lang="bm">/);
    const hits = cache.hits;
    assert.match((await get(hub.url, '/apprendre', { cookie: 'lang=bm; visit=1' })).body.toString(), /<html lang="bm">/);
    assert.match((await get(hub.url, '/apprendre', { cookie: 'visit=1; lang=fr' })).body.toString(), /<html lang="fr">/);
    assert.equal(cache.hits, hits + 2);
    // The switch itself sets the cookie; the next page is in the new language.
    const choose = await get(hub.url, '/langue/snk?next=%2Fapprendre', FR);
    assert.equal(choose.status, 303);
    assert.match(String(choose.headers['set-cookie']), /lang=snk/);
    assert.match((await get(hub.url, '/apprendre', { cookie: 'lang=snk' })).body.toString(), /<html lang="snk">/);
  });

  it('never shows one device’s vote to another, and counts the vote in the results the others see', async () => {
    const voteCount = (html: string) => {
      const m = /<p class="big">(?:Aucun vote|(\d+) votes?)<\/p>/.exec(html);
      return m ? Number(m[1] ?? 0) : NaN;
    };
    const before = (await get(hub.url, CONSULTATION, FR)).body.toString();
    await get(hub.url, CONSULTATION, FR);
    const counted = voteCount(before);
    assert.ok(Number.isFinite(counted), 'the results are shown');
    const vote = await new Promise<Raw>((resolve, reject) => {
      const body = new URLSearchParams({ option: 'eau-potable' }).toString();
      const req = request(
        `${hub.url}${CONSULTATION}`,
        {
          method: 'POST',
          headers: { cookie: 'lang=fr; device=pagecachedevice01', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) }));
        }
      );
      req.on('error', reject);
      req.end(body);
    });
    assert.equal(vote.status, 303);
    const receipt = (vote.headers['set-cookie'] as string[]).find((c) => c.startsWith('vote-priorites-pdesc-kayes='))!.split(';')[0]!;
    const hits = cache.hits;
    const mine = (await get(hub.url, CONSULTATION, { cookie: `lang=fr; device=pagecachedevice01; ${receipt}` })).body.toString();
    assert.match(mine, /Votre vote est compté ici/);
    assert.equal(cache.hits, hits, 'a page with a vote receipt is never from the cache');
    let theirs = '';
    for (let i = 0; i < 100; i += 1) {
      theirs = (await get(hub.url, CONSULTATION, FR)).body.toString();
      if (voteCount(theirs) === counted + 1) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(voteCount(theirs), counted + 1, 'the new vote is in the results');
    assert.doesNotMatch(theirs, /Votre vote est compté ici/);
    assert.match(theirs, /name="option"/);
    // Asked again by another phone, the shared page still shows no one's receipt.
    assert.doesNotMatch((await get(hub.url, CONSULTATION, { cookie: 'lang=fr; device=autretelephone01' })).body.toString(), /Votre vote est compté ici/);
  });

  it('never serves the kiosk’s pages (with their clock) to phones, nor phones’ pages to the kiosk', async () => {
    await get(hub.url, '/apprendre', FR);
    const hits = cache.hits;
    const kiosk = (await get(hub.url, '/apprendre', { cookie: 'lang=fr; mode=kiosk' })).body.toString();
    assert.match(kiosk, /class="kiosk"/);
    assert.match(kiosk, /id="clock"/);
    assert.equal(cache.hits, hits);
    const phone = (await get(hub.url, '/apprendre', FR)).body.toString();
    assert.doesNotMatch(phone, /id="clock"/);
    assert.equal(cache.hits, hits + 1);
  });

  it('keeps neither error pages nor redirects', async () => {
    const hits = cache.hits;
    for (let i = 0; i < 2; i += 1) {
      assert.equal((await get(hub.url, '/apprendre/nexistepas', { ...FR, accept: 'text/html' })).status, 404);
      const first = await get(hub.url, '/', { cookie: 'visit=1' });
      assert.equal(first.status, 303);
      assert.equal(first.headers.location, '/langue?next=%2F');
    }
    assert.equal(cache.hits, hits);
  });

  it('sends a foreign Host to the captive portal even for a cached page', async () => {
    await get(hub.url, '/agenda', FR);
    const hits = cache.hits;
    const foreign = await get(hub.url, '/agenda', { ...FR, host: 'www.example.com' });
    assert.equal(foreign.status, 302);
    assert.match(String(foreign.headers.location), /\/bienvenue$/);
    assert.equal(cache.hits, hits);
  });

  it('keeps counting page views and visits on cached answers', async () => {
    await hub.deps.usage.flush();
    const date = new Date().toISOString().slice(0, 10);
    const read = async () => Usage.parse(await hub.deps.dbs.submissions.get(`${hub.deps.config.hubId}:usage:${date}`));
    const start = await read();
    await get(hub.url, '/organisations', FR);
    const hits = cache.hits;
    await get(hub.url, '/organisations', FR);
    await get(hub.url, '/organisations', { cookie: 'lang=fr; visit=1' });
    await get(hub.url, '/organisations', { cookie: 'lang=bm; visit=1' });
    assert.equal(cache.hits, hits + 2, 'two of them from the cache (the Bambara page was not cached yet)');
    await hub.deps.usage.flush();
    const end = await read();
    assert.equal((end.pageViews.organisations ?? 0) - (start.pageViews.organisations ?? 0), 4);
    // The first two had no visit marker.
    assert.equal(end.visits - start.visits, 2);
  });
});
