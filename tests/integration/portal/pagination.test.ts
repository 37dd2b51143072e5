import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UserStore } from '../../../hub/auth/index.js';
import { createLogger } from '../../../hub/log/index.js';
import { PAGE_SIZE } from '../../../hub/portal/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { generateDocs } from '../../bench/generate.js';
import { startTestHub, tempDir, type TestHub } from '../../support/index.js';
import { login, PASSWORDS, USERS } from '../admin/console.js';

/** 3 000 docs of each of five types (documents, organisations, announcements, events, officials). */
const DOCS = 15_000;
const PER_TYPE = DOCS / 5;
const FR = { cookie: 'lang=fr', accept: 'text/html' };

/** Each list page, how its items are marked, and how many there are in all. */
const LISTS = [
  { path: '/sinformer', item: /class="card doc"/g },
  { path: '/agenda', item: /class="card event"/g },
  { path: '/elus', item: /class="card person"/g },
  { path: '/organisations', item: /class="card org"/g },
];

async function page(hub: TestHub, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(hub.url + path, { headers: FR, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

function relLink(body: string, rel: 'next' | 'prev'): string | undefined {
  const m = new RegExp(`rel="${rel}" href="([^"]+)"`).exec(body);
  return m ? m[1]!.replace(/&amp;/g, '&') : undefined;
}

/** The ids of the items a page shows (their slugs). */
function slugs(body: string): string[] {
  return [
    ...body.matchAll(/<(?:article|li) class="card (?:doc|event|person|org)"[^>]*?(?:id="([^"]+)")?>(?:<a class="rowlink" href="\/[a-z]+\/([^"]+)")?/g),
  ].map((m) => m[1] ?? m[2] ?? '');
}

describe('portal and console lists with thousands of docs of a type', () => {
  let hub: TestHub;
  const dir = tempDir();
  before(async () => {
    const dbs = await openDatabases(dir.path, createLogger('silent'));
    const docs = generateDocs(DOCS);
    for (let i = 0; i < docs.length; i += 1000) await dbs.content.bulkDocs(docs.slice(i, i + 1000) as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await closeDatabases(dbs);
    hub = await startTestHub({ hubId: 'kayes-demo' }, dir.path);
    const users = new UserStore(hub.dataDir);
    await users.add(USERS.facilitator, 'facilitator', PASSWORDS.facilitator);
  });
  after(async () => {
    await hub.stop();
    dir.remove();
  });

  for (const list of LISTS) {
    it(`${list.path} shows one page of ${PAGE_SIZE} items and a next-page link that works`, async () => {
      const first = await page(hub, list.path);
      assert.equal(first.status, 200);
      assert.equal(first.body.match(list.item)?.length, PAGE_SIZE);
      assert.match(first.body, new RegExp(`Page 1 sur ${PER_TYPE / PAGE_SIZE}`));
      assert.equal(relLink(first.body, 'prev'), undefined);
      const next = relLink(first.body, 'next');
      assert.ok(next, 'a next-page link');
      const second = await page(hub, next);
      assert.equal(second.status, 200);
      assert.equal(second.body.match(list.item)?.length, PAGE_SIZE);
      const one = new Set(slugs(first.body));
      assert.ok(
        slugs(second.body).every((s) => !one.has(s)),
        'page 2 shows other items than page 1'
      );
      assert.equal(relLink(second.body, 'prev'), list.path);
      // The last page has no next link.
      const last = await page(hub, `${list.path}?page=${PER_TYPE / PAGE_SIZE}`);
      assert.equal(last.body.match(list.item)?.length, PAGE_SIZE);
      assert.equal(relLink(last.body, 'next'), undefined);
      // A small page whatever the number of docs (the old /agenda was 7 MB).
      assert.ok(first.body.length < 200_000, `${list.path} is ${first.body.length} bytes`);
    });
  }

  it('walking /sinformer by its next links visits every document once', async () => {
    const seen = new Set<string>();
    let path: string | undefined = '/sinformer';
    let pages = 0;
    while (path) {
      const p = await page(hub, path);
      for (const s of slugs(p.body)) seen.add(s);
      path = relLink(p.body, 'next');
      pages += 1;
    }
    assert.equal(pages, PER_TYPE / PAGE_SIZE);
    assert.equal(seen.size, PER_TYPE);
  });

  it('bad ?page= values get a 400 page; a page beyond the last shows the last', async () => {
    for (const bad of ['0', '-1', 'abc', '1.5', '2e3', '', '99999999999']) {
      const p = await page(hub, `/sinformer?page=${encodeURIComponent(bad)}`);
      assert.equal(p.status, 400, `?page=${bad}`);
      assert.match(p.body, /<h1>/);
    }
    const twice = await page(hub, '/organisations?page=2&page=3');
    assert.equal(twice.status, 400);
    const beyond = await page(hub, '/agenda?page=100000');
    assert.equal(beyond.status, 200);
    assert.match(beyond.body, new RegExp(`Page ${PER_TYPE / PAGE_SIZE} sur ${PER_TYPE / PAGE_SIZE}`));
    assert.equal(relLink(beyond.body, 'next'), undefined);
  });

  it('the next-page link keeps the filters, and the filtered count is of all matches', async () => {
    const p = await page(hub, '/organisations?domaine=jeunesse');
    assert.match(p.body, /3[\s\u202f\u00a0]?000\s+organisations/);
    assert.equal(relLink(p.body, 'next'), '/organisations?domaine=jeunesse&page=2');
    const none = await page(hub, '/organisations?domaine=sante');
    assert.match(none.body, /Aucune organisation/);
    assert.doesNotMatch(none.body, /class="pager"/);
    const elus = await page(hub, '/elus?commune=kayes&page=2');
    assert.equal(relLink(elus.body, 'next'), '/elus?commune=kayes&page=3');
  });

  it('the home page and the kiosk show a few items, not thousands', async () => {
    const home = await page(hub, '/');
    assert.equal(home.status, 200);
    assert.equal(home.body.match(/class="card announce"/g)?.length, 3);
    assert.equal(home.body.match(/class="card event"/g)?.length, 3);
    const kiosk = await page(hub, '/kiosk');
    assert.equal(kiosk.body.match(/class="card announce"/g)?.length, 4);
  });

  it('a document added or deleted shows at once on the first page (the summaries follow the changes)', async () => {
    const db = hub.deps.dbs.content;
    const before = hub.deps.catalog.generation;
    await db.put({
      _id: 'document:tout-neuf',
      type: 'document',
      audience: { all: true },
      kind: 'plan',
      title: { fr: 'Plan tout neuf' },
      summary: { fr: 'Le plus récent' },
      publishedAt: '2026-11-20',
    });
    for (let i = 0; i < 200 && hub.deps.catalog.generation === before; i += 1) await new Promise((r) => setTimeout(r, 10));
    const p = await page(hub, '/sinformer');
    assert.equal(slugs(p.body)[0], 'tout-neuf');
    assert.match(p.body, new RegExp(`Page 1 sur ${PER_TYPE / PAGE_SIZE + 1}`));
    const doc = await db.get('document:tout-neuf');
    const gen = hub.deps.catalog.generation;
    await db.remove(doc);
    for (let i = 0; i < 200 && hub.deps.catalog.generation === gen; i += 1) await new Promise((r) => setTimeout(r, 10));
    const again = await page(hub, '/sinformer');
    assert.ok(!slugs(again.body).includes('tout-neuf'));
  });

  it('the console lists events a page at a time, newest first', async () => {
    const c = await login(hub.url, 'facilitator');
    const res = await c.get('/admin/events');
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.equal(body.match(/<tr><td>/g)?.length, 50);
    const next = relLink(body, 'next');
    assert.equal(next, '/admin/events?page=2');
    const two = await c.get(next);
    assert.equal(two.status, 200);
    assert.equal((await two.text()).match(/<tr><td>/g)?.length, 50);
    assert.equal((await c.get('/admin/events?page=zero')).status, 400);
    const home = await c.get('/admin');
    assert.equal((await home.text()).match(/<li><a href="\/admin\/events\//g)?.length, 5);
  });
});

describe('the Kayes demo keeps its lists on one page', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ seedDemo: true });
  });
  after(() => hub.stop());

  it('no pager on any section', async () => {
    for (const path of ['/', '/apprendre', '/sinformer', '/elus', '/organisations', '/participer', '/agenda']) {
      const p = await page(hub, path);
      assert.equal(p.status, 200, path);
      assert.doesNotMatch(p.body, /class="pager"/, path);
    }
    // ?page=1 is the same list (and a bad value still gets its 400).
    const one = await page(hub, '/sinformer?page=1');
    assert.ok(one.body.match(/class="card doc"/g)!.length > 0);
    assert.equal((await page(hub, '/apprendre?page=x')).status, 400);
  });
});
