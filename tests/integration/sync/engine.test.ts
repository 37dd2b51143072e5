import { hubCentralDb } from '../../../content/index.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { startProxy, type ShapingProxy } from '../../support/proxy.js';
import { centralIds, publishAnnouncements, publishMedia, startSyncHub, writeSubmissions, type PublishedMedia } from '../../support/sync-fixtures.js';

describe('sync across a failing link', () => {
  let central: TestCentral;
  let proxy: ShapingProxy;
  let media: PublishedMedia[];
  const announcements: Record<string, string[]> = {};

  before(async () => {
    central = await startTestCentral();
    proxy = await startProxy({ port: central.port }, { bytesPerSecond: 4_000_000, latencyMs: 20 });
    media = await publishMedia(central, [
      { size: 1_500_000, priority: 2 },
      { size: 300_000, priority: 1 },
      { size: 60_000, priority: 3 },
    ]);
    announcements.all = await publishAnnouncements(central, 'tous', 20, { all: true }, media[0]!.sha256);
    announcements.kayes = await publishAnnouncements(central, 'kayes', 10, { communes: ['kayes'] }, media[1]!.sha256);
    announcements.nioro = await publishAnnouncements(central, 'nioro', 10, { communes: ['nioro'] }, media[2]!.sha256);
    announcements.hub = await publishAnnouncements(central, 'hub-ky1', 5, { hubs: ['ky-01'] });
  });
  after(async () => {
    await proxy.stop();
    await central.stop();
  });

  let cleanBytes = 0;

  it('measures the same sync on a clean link, as the yardstick for re-transfer', async () => {
    const enrolled = await central.enroll('ky-00');
    const hub = await startSyncHub({ hubId: 'ky-00', centralUrl: proxy.url, username: enrolled.username, password: enrolled.password });
    try {
      await writeSubmissions(hub.dbs, 'ky-00', 1000);
      proxy.resetCounters();
      assert.equal((await hub.engine.runNow('test')).ok, true);
      cleanBytes = proxy.bytesUp + proxy.bytesDown;
    } finally {
      await hub.close();
    }
  });

  it('pushes 1 000 submissions and pulls content and media through repeated cuts and 5xx, exactly once', async () => {
    const enrolled = await central.enroll('ky-01');
    const hub = await startSyncHub({ hubId: 'ky-01', centralUrl: proxy.url, username: enrolled.username, password: enrolled.password });
    try {
      const ids = await writeSubmissions(hub.dbs, 'ky-01', 1000);
      proxy.resetCounters();
      proxy.setFaults({ cutEveryBytes: 250_000, failRequests: { count: 3, status: 503 } });
      const result = await hub.engine.runNow('test');
      proxy.setFaults({});
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.ok(proxy.cuts >= 3, `expected several cuts, got ${proxy.cuts}`);
      assert.equal(proxy.injected, 3);
      // Central has each submission once, and nothing else from this hub.
      const atCentral = await centralIds(central, hubCentralDb('ky-01'), 'ky-01:');
      assert.deepEqual(atCentral.sort(), [...ids].sort());
      assert.deepEqual(await hub.engine.unconfirmed(), []);
      assert.deepEqual(
        (await centralIds(central, hubCentralDb('ky-01'))).filter((id) => !id.includes(':') && !id.startsWith('_')),
        ['ky-01'],
        'the heartbeat'
      );
      // The hub has exactly its content (all + kayes + itself), once each, and the media it refers to.
      const local = (await hub.dbs.content.allDocs()).rows.map((r) => r.id).sort();
      assert.deepEqual(local, [...announcements.all!, ...announcements.kayes!, ...announcements.hub!].sort());
      assert.equal(await hub.media.has(media[0]!.sha256), true);
      assert.equal(await hub.media.has(media[1]!.sha256), true);
      assert.equal(await hub.media.has(media[2]!.sha256), false, 'nioro media is not for this hub');
      const payload = 1_500_000 + 300_000;
      const faulted = proxy.bytesUp + proxy.bytesDown;
      process.stdout.write(
        `# ${proxy.cuts} cuts and 3 injected 503s: ${faulted} bytes on the wire against ${cleanBytes} on a clean link: re-transfer ${faulted - cleanBytes} bytes (${(((faulted - cleanBytes) / cleanBytes) * 100).toFixed(1)} %)\n`
      );
      assert.ok(faulted - cleanBytes < cleanBytes * 0.25, 'a cut costs at most the unfinished batch or chunk, not a restart');
      // A second run moves nothing new: no duplicates either side.
      const again = await hub.engine.runNow('test');
      assert.equal(again.ok, true);
      assert.equal(again.classes.push?.moved, 0);
      assert.equal(again.classes.content?.moved, 0);
      assert.equal((await centralIds(central, hubCentralDb('ky-01'), 'ky-01:')).length, 1000);
      const st = hub.engine.status();
      assert.ok(st.budget.bytesToday > payload, 'every byte on the wire is counted');
      assert.equal(st.classes.media.pending?.items, 0);
    } finally {
      await hub.close();
    }
  });
});
