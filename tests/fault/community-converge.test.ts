import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flagId, submissionId } from '../../content/index.js';
import { callAs, couch, createCommunityUser, processCommunity, type CentralCall } from '../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../support/central.js';
import { publishTopics } from '../support/community.js';
import { startSyncHub, type SyncHub } from '../support/sync-fixtures.js';

const HUBS = 50;
const POSTS = 100;
const RULES = { preModeratedPosts: 0, flagsToHide: 2 };

/** `n` posts by one member of `hubId`, as the hub writes them (immutable submissions). */
function posts(hubId: string, n: number, code: string): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    _id: submissionId(hubId, 'post'),
    type: 'post',
    hubId,
    createdAt: new Date(Date.UTC(2026, 11, 1, 8, 0, i)).toISOString(),
    topic: 'topic:budget-participatif',
    ...(i % 4 === 0 ? { title: `Fil ${hubId} ${i}` } : { replyTo: undefined }),
    text: `Message ${i} de ${hubId}`,
    lang: 'fr',
    author: { hub: hubId, code, name: `Membre ${hubId}` },
    sex: i % 2 ? 'F' : 'M',
    ageBand: '15-24',
  })).map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);
}

/** The published posts a hub holds, by id with their status. */
async function publishedAt(hub: SyncHub): Promise<Map<string, string>> {
  const res = await hub.dbs.content.allDocs({ include_docs: true, startkey: 'post:', endkey: 'post:\ufff0' });
  return new Map(res.rows.map((r) => [r.id, (r.doc as unknown as { status: string }).status]));
}

/*
 * In `make test-fault` (not `make test`): 50 hubs each push 100 posts one after another, which
 * takes about a minute on an idle 2-core machine and far longer on a shared one.
 */
describe(`${HUBS} hubs × ${POSTS} posts converge`, () => {
  let central: TestCentral;
  let moderator: CentralCall;
  const readers: SyncHub[] = [];

  before(async () => {
    central = await startTestCentral();
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    await publishTopics(central);
  });
  after(async () => {
    for (const r of readers) await r.close();
    await central?.stop();
  });

  it('every hub pushes its posts, the rules publish them once, and the hubs that pull end with the same set; N flags from two hubs hide a post everywhere', async () => {
    const hubIds = Array.from({ length: HUBS }, (_, i) => `conv-${String(i).padStart(2, '0')}`);
    // Each hub in turn (a space syncs when its uplink allows): write its posts, push them, close.
    for (const [i, hubId] of hubIds.entries()) {
      const e = await central.enroll(hubId);
      const hub = await startSyncHub({ hubId, centralUrl: central.url, username: e.username, password: e.password });
      try {
        const docs = posts(
          hubId,
          POSTS,
          `M${String(i % 10)}A-${'CDEFHJKMNP'[Math.floor(i / 10)]}7T`.replace(/[0-9]/, (d) => 'ACDEFHJKMN'[Number(d)]!)
        );
        const res = await hub.dbs.submissions.bulkDocs(docs);
        assert.ok(
          res.every((r) => !('error' in r && r.error)),
          JSON.stringify(res.find((r) => 'error' in r))
        );
        assert.equal((await hub.engine.runNow('test')).ok, true);
      } finally {
        await hub.close();
      }
    }
    await central.settled(); // CouchDB's replicator merges a moment after the push
    const first = await processCommunity(moderator, RULES);
    assert.equal(first.published, HUBS * POSTS);
    // Running the rules again publishes nothing twice.
    await central.settled(); // CouchDB's replicator merges a moment after the push
    assert.equal((await processCommunity(moderator, RULES)).published, 0);
    const all = await couch<{ rows: { id: string }[] }>(
      central.url,
      `content/_all_docs?startkey=${encodeURIComponent('"post:"')}&endkey=${encodeURIComponent('"post:\ufff0"')}`,
      central.admin
    );
    assert.equal(all.body.rows.length, HUBS * POSTS);

    // Two spaces pull everything: the same set, all published.
    for (const hubId of ['lecteur-a', 'lecteur-b']) {
      const e = await central.enroll(hubId);
      const r = await startSyncHub({ hubId, centralUrl: central.url, username: e.username, password: e.password, sync: { batchSize: 500 } });
      readers.push(r);
      assert.equal((await r.engine.runNow('test')).ok, true);
    }
    const [pa, pb] = await Promise.all(readers.map(publishedAt));
    assert.equal(pa!.size, HUBS * POSTS);
    assert.deepEqual([...pa!.entries()].sort(), [...pb!.entries()].sort());

    // The same post flagged by one member of each reader space: two distinct flags hide it everywhere; a flag sent twice counts once.
    const target = [...pa!.keys()][0]!.slice('post:'.length).replace(/^(conv-\d\d)-post-/, '$1:post:');
    for (const [i, r] of readers.entries()) {
      const code = i ? 'KKK-KKK' : 'HHH-HHH';
      const flag = {
        _id: flagId(r.hubId, target, code),
        type: 'flag',
        hubId: r.hubId,
        createdAt: new Date().toISOString(),
        post: target,
        reason: 'insulte',
        member: code,
      };
      await r.dbs.submissions.put(flag);
      assert.equal((await r.engine.runNow('test')).ok, true);
    }
    await central.settled(); // CouchDB's replicator merges a moment after the push
    const flagged = await processCommunity(moderator, RULES);
    assert.equal(flagged.hidden, 1);
    for (const r of readers) assert.equal((await r.engine.runNow('test')).ok, true);
    const [ha, hb] = await Promise.all(readers.map(publishedAt));
    const hiddenId = `post:${target.replace(/:/g, '-')}`;
    assert.equal(ha!.get(hiddenId), 'hidden');
    assert.equal(hb!.get(hiddenId), 'hidden');
    assert.deepEqual([...ha!.entries()].sort(), [...hb!.entries()].sort());
  });
});
