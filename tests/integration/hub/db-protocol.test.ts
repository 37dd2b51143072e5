import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { CheckpointStore } from '../../../hub/http/checkpoints.js';
import { seedFixtures, startTestHub, tempDir, type TestHub } from '../../support/index.js';

const require = createRequire(import.meta.url);
const PouchDB = require('pouchdb') as PouchDB.Static;

/** Issue #20, items 8 and 10: the CouchDB API of /db as any client uses it. */
describe('/db/content as a CouchDB replication source', () => {
  let hub: TestHub;
  const data = tempDir('espace-db-protocol-');
  const local = tempDir('espace-db-client-');
  before(async () => {
    hub = await startTestHub({}, data.path);
    await seedFixtures(hub);
  });
  after(async () => {
    await hub.stop();
    data.remove();
    local.remove();
  });

  it('answers 400 naming the parameter for every malformed one, never 500', async () => {
    const doc = '/db/content/course:gouvernance-locale';
    const cases = [
      `${doc}?open_revs=%7B%22a%22%3A1%7D`,
      `${doc}?open_revs=%5B1%5D`,
      `${doc}?open_revs=nope`,
      `${doc}?open_revs=%5B%22zz%22%5D`,
      `${doc}?revs=maybe`,
      `${doc}?atts_since=x`,
      `${doc}?atts_since=%7B%7D`,
      `${doc}?rev=abc`,
      `${doc}?latest=1`,
      `${doc}?revs=true&revs=false`,
      '/db/content/_changes?since=abc',
      '/db/content/_changes?since=%7B%7D',
      '/db/content/_changes?limit=-1',
      '/db/content/_changes?limit=1e3',
      '/db/content/_changes?style=everything',
      '/db/content/_changes?feed=eventsource',
      '/db/content/_changes?heartbeat=soon',
      '/db/content/_changes?include_docs=yes',
      '/db/content/_changes?filter=_selector',
      '/db/content/_changes?filter=app/pirate',
    ];
    for (const path of cases) {
      const res = await fetch(hub.url + path);
      assert.equal(res.status, 400, path);
      const body = (await res.json()) as { reason: string; details: string; error: string };
      assert.equal(body.error, 'bad_request', path);
      assert.match(body.details, /parameter (open_revs|revs|atts_since|rev|latest|since|limit|style|feed|heartbeat|include_docs|filter)/, path);
    }
    const bulk = await fetch(`${hub.url}/db/content/_bulk_get?revs=oui`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"docs":[]}',
    });
    assert.equal(bulk.status, 400);
    // Well-formed ones still work.
    const ok = await fetch(`${hub.url}${doc}?open_revs=all&revs=true&latest=true`, { headers: { accept: 'application/json' } });
    assert.equal(ok.status, 200);
  });

  it('streams feed=continuous as CouchDB does: a line per change, then last_seq when the timeout ends it', async () => {
    const started = Date.now();
    const text = await (await fetch(`${hub.url}/db/content/_changes?feed=continuous&since=0&timeout=1500&heartbeat=500`)).text();
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id?: string; last_seq?: number });
    assert.ok(Date.now() - started >= 1400, 'held open until the timeout');
    assert.ok(lines.filter((l) => l.id).length >= 5, 'every change first');
    assert.ok(!lines.some((l) => l.id?.startsWith('_')));
    assert.equal(typeof lines.at(-1)!.last_seq, 'number');
  });

  it('keeps _local checkpoints apart from the content, with CouchDB revisions; every other write is 403', async () => {
    const url = `${hub.url}/db/content/_local/abc123`;
    const put = (body: unknown) => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await fetch(url)).status, 404);
    const first = await put({ last_seq: 5, history: [] });
    assert.equal(first.status, 201);
    assert.equal(((await first.json()) as { rev: string }).rev, '0-1');
    assert.equal((await put({ last_seq: 6 })).status, 409, 'without the current _rev');
    assert.equal((await put({ _rev: '0-1', last_seq: 7 })).status, 201);
    assert.deepEqual(await (await fetch(url)).json(), { _id: '_local/abc123', _rev: '0-2', last_seq: 7 });
    assert.equal((await put({ _rev: '0-2', pad: 'x'.repeat(20_000) })).status, 413, 'bounded in size');
    await assert.rejects(hub.deps.dbs.content.get('_local/abc123'), (e: { status?: number }) => e.status === 404, 'never in content');
    const feed = (await (await fetch(`${hub.url}/db/content/_changes?since=0`)).json()) as { results: { id: string }[] };
    assert.ok(!feed.results.some((r) => r.id.includes('abc123')), 'never replicated');
    for (const [method, path] of [
      ['PUT', '/db/content/announcement:pirate'],
      ['POST', '/db/content'],
      ['POST', '/db/content/_bulk_docs'],
      ['DELETE', '/db/content/course:gouvernance-locale'],
      ['PUT', '/db/content/_design/x'],
      ['PUT', '/db/submissions/_local/x'],
    ] as const) {
      const res = await fetch(hub.url + path, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 403, `${method} ${path}`);
    }
  });

  it('lets a PouchDB replicator that checkpoints on the source pull continuously, and resume after a hub restart', async () => {
    const target = new PouchDB(`${local.path}/copy`);
    const remote = () => new PouchDB(`${hub.url}/db/content`, { skip_setup: true });
    const contentCount = async () => (await hub.deps.dbs.content.allDocs()).rows.filter((r) => !r.id.startsWith('_')).length;
    const pull = () => {
      const src = remote();
      const rep = PouchDB.replicate(src, target, { live: true, retry: false, checkpoint: 'source', heartbeat: 2000 });
      const read: number[] = [];
      let failed: unknown;
      void rep.on('change', (info) => read.push(info.docs_read));
      void rep.on('error', (e) => (failed = e));
      return { rep, read, failed: () => failed };
    };
    const until = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 300; i += 1) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`timed out waiting for ${what}`);
    };

    const first = pull();
    await until(async () => (await target.info()).doc_count === (await contentCount()), 'the first copy');
    // Live: a doc published on the hub now arrives without a new replication.
    await hub.deps.dbs.content.put({
      _id: 'announcement:live-1',
      type: 'announcement',
      title: { fr: 'En direct' },
      body: { fr: 'x' },
      publishedAt: '2026-12-01T00:00:00Z',
      audience: { all: true },
    } as never);
    await until(async () => Boolean(await target.get('announcement:live-1').catch(() => null)), 'the live doc');
    // One checkpoint from the test above, one written by this replicator on the source.
    await until(async () => (await new CheckpointStore(`${hub.dataDir}/replication-checkpoints`).size()) === 2, 'a checkpoint on the hub');
    first.rep.cancel();
    assert.equal(first.failed(), undefined, String(first.failed()));
    const total = await contentCount();

    // The hub restarts on the same address (the checkpoint's id names it); one more doc meanwhile.
    const port = hub.port;
    await hub.close();
    hub = await startTestHub({ port }, data.path);
    await hub.deps.dbs.content.put({
      _id: 'announcement:live-2',
      type: 'announcement',
      title: { fr: 'Après redémarrage' },
      body: { fr: 'y' },
      publishedAt: '2026-12-01T00:00:00Z',
      audience: { all: true },
    } as never);
    const second = pull();
    await until(async () => Boolean(await target.get('announcement:live-2').catch(() => null)), 'the doc written after the restart');
    second.rep.cancel();
    assert.equal(second.failed(), undefined, String(second.failed()));
    assert.ok(Math.max(...second.read) <= 2, `resumed from its checkpoint: read ${Math.max(...second.read)} docs, not the ${total} of a copy from the start`);
    assert.equal((await target.info()).doc_count, total + 1);
    await target.close();
  });
});

describe('the checkpoint store', () => {
  it('keeps at most maxDocs, forgetting the least recently written, and survives a restart', async () => {
    const dir = tempDir('espace-checkpoints-');
    try {
      const store = new CheckpointStore(dir.path, { maxDocs: 3, maxBytes: 1024 });
      for (let i = 0; i < 5; i += 1) await store.put(`rep-${i}`, { last_seq: i });
      await store.put('rep-2', { _rev: '0-1', last_seq: 22 });
      const again = new CheckpointStore(dir.path, { maxDocs: 3, maxBytes: 1024 });
      assert.equal(await again.size(), 3);
      assert.equal(await again.get('rep-0'), null);
      assert.equal(await again.get('rep-1'), null);
      assert.deepEqual(await again.get('rep-2'), { _id: '_local/rep-2', _rev: '0-2', last_seq: 22 });
      await again.put('rep-5', { last_seq: 5 });
      assert.equal(await again.get('rep-3'), null, 'the least recently written goes first');
      assert.ok(await again.get('rep-2'));
    } finally {
      dir.remove();
    }
  });
});
