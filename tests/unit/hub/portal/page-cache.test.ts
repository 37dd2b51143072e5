import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CURRENT_FOR_MS, PageCache, pageRequest, SEARCH_PAGES, type PageRequest } from '../../../../hub/portal/index.js';

/** Generations moved by the test, as the catalog's, the submissions feed's (per kind) and the search index's would be. */
function generations() {
  const g = { content: 1, submissions: 1 as number | undefined, kinds: new Map<string, number>(), search: 1 as number | undefined };
  return {
    g,
    /** A submission of `kind` written. */
    wrote: (kind: string) => g.kinds.set(kind, (g.kinds.get(kind) ?? 0) + 1),
    gens: {
      content: () => g.content,
      submissions: (kinds: readonly string[]) => (g.submissions === undefined ? undefined : kinds.reduce((n, k) => n + (g.kinds.get(k) ?? 0), g.submissions)),
      search: () => g.search,
    },
  };
}

const HOST = 'espace.home.arpa';

function req(url: string, cookie = 'lang=fr'): PageRequest {
  const r = pageRequest(url, cookie);
  assert.ok(r, `${url} is cacheable`);
  return r;
}

function fill(cache: PageCache, url: string, html: string, at = 1000): void {
  cache.store(cache.stamp(req(url), HOST, at)!, html);
}

describe('which page requests may be cached', () => {
  it('keys a page by its whole address and the language cookie', () => {
    assert.equal(req('/apprendre?x=1', 'lang=bm').key, 'bm /apprendre?x=1');
    assert.equal(req('/apprendre', 'visit=1; lang=fr; device=abcdefgh').key, 'fr /apprendre');
    // No language (or an unknown one) renders in French but is its own key: the home redirects it.
    assert.equal(pageRequest('/', undefined)?.key, '- /');
    assert.equal(pageRequest('/', 'lang=xx')?.key, '- /');
    assert.equal(req('/participer').section, 'participer');
    assert.equal(req('/').section, 'accueil');
  });

  it('marks what a page shows besides content: the clock, submissions', () => {
    assert.equal(req('/').ttlMs, CURRENT_FOR_MS);
    assert.equal(req('/agenda').ttlMs, CURRENT_FOR_MS);
    assert.equal(req('/participer/priorites').ttlMs, CURRENT_FOR_MS);
    assert.deepEqual(req('/participer/priorites').submissions, ['response']);
    assert.deepEqual(req('/elus').submissions, ['feedback']);
    assert.equal(req('/elus/x').submissions, undefined);
    assert.equal(req('/recherche?q=eau').search, true);
    assert.equal(req('/sinformer').search, false);
    assert.equal(req('/sinformer').ttlMs, undefined);
    assert.equal(req('/apprendre/plaidoyer/2').ttlMs, undefined);
  });

  it('leaves out personal requests and pages that are not shared', () => {
    assert.equal(pageRequest('/apprendre', 'lang=fr; mode=kiosk'), null);
    assert.equal(pageRequest('/participer/priorites', 'lang=fr; vote-priorites=kayes-demo:response:abc'), null);
    assert.equal(pageRequest('/participer/autre', 'lang=fr; vote-priorites=kayes-demo:response:abc'), null);
    assert.equal(pageRequest('/apprendre', 'lang=fr; anything=1'), null);
    for (const url of [
      '/kiosk',
      '/admin',
      '/api/v1/content',
      '/static/x.css',
      '/elus/',
      '/apprendre/a/b/c',
      'http://evil/apprendre',
      `/apprendre?${'x'.repeat(500)}`,
    ]) {
      assert.equal(pageRequest(url, 'lang=fr'), null, url);
    }
  });

  it('tells the visit marker', () => {
    assert.equal(req('/apprendre', 'lang=fr; visit=1').visiting, true);
    assert.equal(req('/apprendre', 'lang=fr').visiting, false);
  });
});

describe('PageCache', () => {
  it('answers a stored page until the content generation moves', () => {
    const { g, gens } = generations();
    const cache = new PageCache(gens);
    fill(cache, '/sinformer', '<p>un</p>');
    const page = cache.get(req('/sinformer'), HOST, 2000);
    assert.equal(page?.body.toString(), '<p>un</p>');
    assert.match(page.etag, /^"[0-9a-z]+-[0-9a-z]+"$/);
    g.content += 1;
    assert.equal(cache.get(req('/sinformer'), HOST, 2000), undefined);
    assert.equal(cache.size, 0, 'a stale page is let go at once');
  });

  it('follows the submissions generation only for pages that show submissions', () => {
    const { g, gens } = generations();
    const cache = new PageCache(gens);
    fill(cache, '/elus', '<p>réponses</p>');
    fill(cache, '/elus/x', '<p>une élue</p>');
    // Something that may concern every kind (an id of no kind, a db read again).
    g.submissions = 2;
    assert.equal(cache.get(req('/elus'), HOST, 2000), undefined);
    assert.ok(cache.get(req('/elus/x'), HOST, 2000));
    // Not followed (feed down): such pages are not even stamped.
    g.submissions = undefined;
    assert.equal(cache.stamp(req('/elus'), HOST), undefined);
    assert.ok(cache.stamp(req('/elus/x'), HOST));
  });

  it('follows only the kinds of submissions a page shows', () => {
    const { wrote, gens } = generations();
    const cache = new PageCache(gens);
    fill(cache, '/elus', '<p>réponses</p>');
    fill(cache, '/participer/priorites', '<p>résultats</p>');
    fill(cache, '/propositions', '<p>propositions</p>');
    // Registrations and usage counts show on none of them.
    wrote('registration');
    wrote('usage');
    assert.ok(cache.get(req('/elus'), HOST, 2000), 'a registration leaves the officials page');
    assert.ok(cache.get(req('/participer/priorites'), HOST, 2000));
    assert.ok(cache.get(req('/propositions'), HOST, 2000));
    // An answer published is a feedback doc written: the officials page only.
    wrote('feedback');
    assert.equal(cache.get(req('/elus'), HOST, 2000), undefined);
    assert.ok(cache.get(req('/participer/priorites'), HOST, 2000));
    wrote('response');
    assert.equal(cache.get(req('/participer/priorites'), HOST, 2000), undefined);
    wrote('support');
    assert.equal(cache.get(req('/propositions'), HOST, 2000), undefined);
  });

  it('keeps search pages per words and language while the index holds, a bounded few', () => {
    const { g, gens } = generations();
    const cache = new PageCache(gens);
    fill(cache, '/recherche?q=eau', '<p>eau</p>');
    cache.store(cache.stamp(req('/recherche?q=eau', 'lang=bm'), HOST, 1000)!, '<p>ji</p>');
    assert.equal(cache.get(req('/recherche?q=eau'), HOST, 2000)?.body.toString(), '<p>eau</p>');
    assert.equal(cache.get(req('/recherche?q=eau', 'lang=bm'), HOST, 2000)?.body.toString(), '<p>ji</p>', 'languages do not mix');
    assert.equal(cache.get(req('/recherche?q=puits'), HOST, 2000), undefined, 'other words: another page');
    // The index changed: its answers may have.
    g.search = 2;
    assert.equal(cache.get(req('/recherche?q=eau'), HOST, 2000), undefined);
    // Not ready (being built, or not started): not even stamped; other pages still are.
    g.search = undefined;
    assert.equal(cache.stamp(req('/recherche?q=eau'), HOST), undefined);
    assert.ok(cache.stamp(req('/sinformer'), HOST));
    g.search = 3;
    // Many different words: at most SEARCH_PAGES of them, the least recently used leaving first.
    fill(cache, '/sinformer', '<p>un</p>');
    for (let i = 0; i < SEARCH_PAGES; i += 1) fill(cache, `/recherche?q=mot${i}`, `<p>${i}</p>`);
    assert.ok(cache.get(req('/recherche?q=mot0'), HOST, 2000), 'mot0 is used again');
    for (let i = SEARCH_PAGES; i < SEARCH_PAGES + 10; i += 1) fill(cache, `/recherche?q=mot${i}`, `<p>${i}</p>`);
    assert.equal(cache.size, SEARCH_PAGES + 1, 'the search pages and /sinformer');
    assert.ok(cache.get(req('/recherche?q=mot0'), HOST, 2000));
    assert.equal(cache.get(req('/recherche?q=mot1'), HOST, 2000), undefined, 'mot1, the least recently used, went');
    assert.ok(cache.get(req(`/recherche?q=mot${SEARCH_PAGES + 9}`), HOST, 2000));
    assert.ok(cache.get(req('/sinformer'), HOST, 2000), 'other pages stay');
    // A search page that went stale and was let go leaves its place in the bound.
    g.search = 4;
    assert.equal(cache.get(req('/recherche?q=mot0'), HOST, 2000), undefined);
    assert.equal(cache.size, SEARCH_PAGES);
  });

  it('keeps a page showing what is current only for a short while', () => {
    const { gens } = generations();
    const cache = new PageCache(gens);
    fill(cache, '/agenda', '<p>bientôt</p>', 1000);
    assert.ok(cache.get(req('/agenda'), HOST, 1000 + CURRENT_FOR_MS - 1));
    assert.equal(cache.get(req('/agenda'), HOST, 1000 + CURRENT_FOR_MS), undefined);
  });

  it('does not keep a page whose data moved on while it was rendered', () => {
    const { g, gens } = generations();
    const cache = new PageCache(gens);
    const stamp = cache.stamp(req('/sinformer'), HOST, 1000)!;
    g.content += 1;
    const { etag } = cache.store(stamp, '<p>ancien</p>');
    assert.match(etag, /^"/);
    assert.equal(cache.size, 0);
  });

  it('answers only hosts the captive portal let through to a stored page', () => {
    const { gens } = generations();
    const cache = new PageCache(gens);
    fill(cache, '/sinformer', '<p>un</p>');
    assert.ok(cache.get(req('/sinformer'), HOST));
    assert.equal(cache.get(req('/sinformer'), 'www.example.com'), undefined);
    assert.equal(cache.get(req('/sinformer'), undefined), undefined);
  });

  it('stays within its byte budget, letting the least recently used pages go first', () => {
    const { gens } = generations();
    const body = 'x'.repeat(1000);
    const cache = new PageCache(gens, 3500);
    fill(cache, '/apprendre/a', body);
    fill(cache, '/apprendre/b', body);
    fill(cache, '/apprendre/c', body);
    assert.ok(cache.get(req('/apprendre/a'), HOST), 'a is used again');
    fill(cache, '/apprendre/d', body);
    assert.ok(cache.bytes <= 3500);
    assert.equal(cache.get(req('/apprendre/b'), HOST), undefined, 'b, the least recently used, went');
    assert.ok(cache.get(req('/apprendre/a'), HOST));
    assert.ok(cache.get(req('/apprendre/d'), HOST));
    // Compressed copies count too.
    const page = cache.get(req('/apprendre/d'), HOST)!;
    const before = cache.bytes;
    const gz = cache.encoded(page, 'gzip');
    assert.equal(gunzipSync(gz).toString(), body);
    assert.equal(cache.bytes, before + gz.length);
    assert.equal(cache.encoded(page, 'gzip'), gz, 'compressed once');
  });
});
