import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { startTestHub, type TestHub } from '../../support/index.js';

const announcement = (slug: string, title: string) => ({
  _id: `announcement:${slug}`,
  type: 'announcement',
  audience: { all: true },
  title: { fr: title },
  body: { fr: `${title}, au centre.` },
  publishedAt: '2026-11-01T08:00:00Z',
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The content changes feed failing under a running hub: followed again, nothing stale, no restart. */
describe('the content changes feed', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(async () => {
    await hub.stop();
  });

  it('is followed again after it fails, and content written meanwhile shows without a restart', async () => {
    const health = async () =>
      ((await (await fetch(`${hub.url}/health`)).json()) as { contentFeed: { state: string; restarts: number; lastError: { message: string } | null } })
        .contentFeed;
    assert.deepEqual(await health(), { state: 'following', restarts: 0, lastError: null });
    const titles = async () =>
      ((await (await fetch(`${hub.url}/api/v1/content?type=announcement`)).json()) as { items: { _id: string }[] }).items.map((i) => i._id);
    await hub.deps.dbs.content.put(announcement('avant', 'Avant la panne'));
    await until('the first announcement', async () => ((await titles()).includes('announcement:avant') ? true : undefined));

    // The real PouchDB feed emits the error a failing LevelDB read gives it.
    const feed = (hub.deps.catalog as unknown as { feed: EventEmitter }).feed;
    feed.emit('error', new Error('IO error: the feed was killed by the test'));
    // Written while nobody follows the feed.
    await hub.deps.dbs.content.put(announcement('pendant', 'Pendant la panne'));

    const after = await health();
    assert.equal(after.restarts, 1);
    assert.match(after.lastError?.message ?? '', /killed by the test/);
    await until('the feed followed again', async () => ((await health()).state === 'following' ? true : undefined));
    await hub.deps.dbs.content.put(announcement('apres', 'Après la panne'));
    const shown = await until('both new announcements in the list', async () => {
      const list = await titles();
      return list.includes('announcement:pendant') && list.includes('announcement:apres') ? list : undefined;
    });
    assert.ok(shown.includes('announcement:avant'));
    // Search is fed by the same feed: the change made while it was down is indexed too.
    const found = await until('search to find the announcement written during the failure', async () => {
      const res = (await (await fetch(`${hub.url}/api/v1/search?q=pendant`)).json()) as { items: { id: string }[] };
      return res.items.some((i) => i.id === 'announcement:pendant') ? true : undefined;
    });
    assert.equal(found, true);
  });
});
