import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { supportId } from '../../../content/index.js';
import { createLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { makeMember, startTestHub, tempDir, type TestHub } from '../../support/index.js';

/**
 * The proposals page is a page at a time (it costs the same at 50 or 5 000 proposals), and the
 * supports counted from their ids alone come back right after a restart.
 */
describe('the proposals list in pages, and the counts after a restart', () => {
  const dir = tempDir('espace-proposals-restart-');
  const start = () => startTestHub({ hubId: 'kita-02', commune: 'kita' }, dir.path);
  let hub: TestHub;
  let first: string;

  before(async () => {
    hub = await start();
    const members = await Promise.all(['Awa', 'Binta', 'Chaka'].map((n) => makeMember(hub, n)));
    for (let i = 0; i < 45; i += 1) {
      const v = await hub.deps.proposals.propose(members[0]!, {
        title: `Proposition numéro ${i}`,
        text: 'Un puits.',
        commune: 'kita',
        theme: 'eau-assainissement',
        cost: '0',
      });
      first ??= v.id;
    }
    for (const m of members) await hub.deps.proposals.support(m, first);
  });
  after(async () => {
    await hub?.stop();
    dir.remove();
  });

  it('shows 20 proposals a page, newest first, with links to the others', async () => {
    const page1 = await (await fetch(`${hub.url}/propositions`, { headers: { accept: 'text/html' } })).text();
    assert.equal((page1.match(/class="rowlink" href="\/propositions\/kita-02/g) ?? []).length, 20);
    assert.match(page1, /Proposition numéro 44/);
    assert.doesNotMatch(page1, /Proposition numéro 0</);
    assert.match(page1, /href="\/propositions\?commune=&amp;page=2"|href="\/propositions\?page=2"/);
    const page3 = await (await fetch(`${hub.url}/propositions?page=3`, { headers: { accept: 'text/html' } })).text();
    assert.equal((page3.match(/class="rowlink" href="\/propositions\/kita-02/g) ?? []).length, 5);
    assert.match(page3, /Proposition numéro 0</);
    assert.equal((await fetch(`${hub.url}/propositions?page=deux`, { headers: { accept: 'text/html' } })).status, 400);
  });

  it('counts each support once again after a restart, and still refuses a second one', async () => {
    await hub.close(); // the data dir stays
    hub = await start();
    const view = await hub.deps.proposals.get(first);
    assert.equal(view.supports.members, 3);
    const again = await makeMember(hub, 'Awa-bis');
    await hub.deps.proposals.support(again, first);
    assert.equal((await hub.deps.proposals.get(first)).supports.members, 4);
    const awa = (await hub.deps.members.store.list()).find((m) => m.displayName === 'Awa')!;
    await assert.rejects(hub.deps.proposals.support(awa, first), /already support/);
  });

  it('starts from the snapshot written at the last stop, and replays what was stored after it (a power cut)', async () => {
    await hub.close(); // writes the snapshot with the 4 supports
    const snap = await openDatabases(dir.path, createLogger('silent'));
    const local = (await snap.submissions.get('_local/proposal-supports')) as unknown as { supporters: Record<string, string> };
    assert.equal(local.supporters[first]!.split(',').length, 4);
    // A support stored after the snapshot, as if the hub lost power before the next one.
    await snap.submissions.put({
      _id: supportId('kita-02', first, 'KX7-M4P'),
      type: 'support',
      hubId: 'kita-02',
      createdAt: new Date().toISOString(),
      proposal: first,
      member: 'KX7-M4P',
      sex: 'F',
      ageBand: '15-24',
    });
    await closeDatabases(snap);
    hub = await start();
    assert.equal((await hub.deps.proposals.get(first)).supports.members, 5);
    assert.equal(hub.deps.proposals.hasSupported(first, 'KX7-M4P'), true);
  });
});
