import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hubCentralDb, submissionId } from '../../../content/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { startProxy, type ShapingProxy } from '../../support/proxy.js';
import { centralIds, publishAnnouncements, publishMedia, startSyncHub, writeSubmissions, type PublishedMedia } from '../../support/sync-fixtures.js';

describe('sync limits: budget, windows, credentials, refusals, audience', () => {
  let central: TestCentral;
  let proxy: ShapingProxy;
  let media: PublishedMedia[];

  before(async () => {
    central = await startTestCentral();
    proxy = await startProxy({ port: central.port }, { bytesPerSecond: 8_000_000, latencyMs: 5 });
    media = await publishMedia(central, [
      { size: 400_000, priority: 3 },
      { size: 400_000, priority: 1 },
      { size: 400_000, priority: 2 },
    ]);
    for (const [i, m] of media.entries()) await publishAnnouncements(central, `media-${i}`, 1, { all: true }, m.sha256);
    await publishAnnouncements(central, 'nioro', 4, { communes: ['nioro'] });
    await publishAnnouncements(central, 'region', 3, { regions: ['kayes'] });
  });
  after(async () => {
    await proxy.stop();
    await central.stop();
  });

  it('stops media at the daily budget (within 5 %), by priority, and finishes the next day', async () => {
    const e = await central.enroll('budget-01');
    let clock = new Date(2026, 10, 22, 10, 0).getTime();
    const budgetBytes = 700_000;
    const hub = await startSyncHub({
      hubId: 'budget-01',
      centralUrl: proxy.url,
      username: e.username,
      password: e.password,
      sync: { dailyBudgetMB: budgetBytes / 1e6, mediaChunkKB: 64 },
      now: () => clock,
    });
    try {
      proxy.resetCounters();
      const first = await hub.engine.runNow('test');
      const wire = proxy.bytesUp + proxy.bytesDown;
      const st = hub.engine.status();
      process.stdout.write(`# budget ${budgetBytes} B: counted ${st.budget.bytesToday} B, on the wire ${wire} B\n`);
      assert.equal(first.ok, false);
      assert.equal(st.classes.media.lastError?.kind, 'budget-reached', st.classes.media.lastError?.message);
      assert.match(st.classes.media.lastError.message, /^budget reached/);
      assert.ok(Math.abs(wire - budgetBytes) <= budgetBytes * 0.05, `wire ${wire} not within 5 % of ${budgetBytes}`);
      assert.ok(st.budget.bytesToday <= budgetBytes);
      assert.equal(st.classes.push.lastError, null);
      assert.equal(st.classes.content.lastError, null);
      // Highest priority first: the priority-1 file is in, the priority-3 one is not.
      assert.equal(await hub.media.has(media[1]!.sha256), true);
      assert.equal(await hub.media.has(media[0]!.sha256), false);
      assert.ok(st.classes.media.pending!.items >= 1);
      // Same day: nothing more is sent.
      proxy.resetCounters();
      await hub.engine.runNow('test');
      assert.equal(proxy.bytesUp + proxy.bytesDown, 0);
      // Tomorrow: the rest arrives, continuing the partial file.
      clock += 24 * 3600_000;
      const next = await hub.engine.runNow('test');
      assert.equal(next.ok, true, JSON.stringify(next));
      for (const m of media) assert.equal(await hub.media.has(m.sha256), true);
      assert.ok(proxy.bytesDown < 900_000, `the next day re-fetched too much: ${proxy.bytesDown}`);
    } finally {
      await hub.close();
    }
  });

  it('sends nothing outside the time window', async () => {
    const e = await central.enroll('window-01');
    const tenOClock = new Date(2026, 10, 22, 10, 0).getTime();
    const hub = await startSyncHub({
      hubId: 'window-01',
      centralUrl: proxy.url,
      username: e.username,
      password: e.password,
      sync: { windows: [{ from: '22:00', to: '05:00' }] },
      now: () => tenOClock,
    });
    try {
      await writeSubmissions(hub.dbs, 'window-01', 5);
      proxy.resetCounters();
      const r = await hub.engine.runNow('test');
      assert.equal(r.ok, false);
      assert.equal(proxy.connections, 0);
      assert.equal(proxy.bytesUp + proxy.bytesDown, 0);
      assert.match(hub.engine.status().classes.push.lastError!.message, /^outside the window: sync runs only 22:00–05:00/);
      assert.equal((await hub.engine.unconfirmed()).length, 5);
    } finally {
      await hub.close();
    }
  });

  it('wrong credentials: a clear error and no retry storm', async () => {
    await central.enroll('creds-01');
    const hub = await startSyncHub({
      hubId: 'creds-01',
      centralUrl: proxy.url,
      username: 'hub-creds-01',
      password: 'not-the-password',
      sync: { intervalMinutes: 0.005 },
    });
    try {
      proxy.resetCounters();
      hub.engine.start(0);
      await sleep(2500);
      const st = hub.engine.status();
      assert.equal(st.classes.push.lastError?.kind, 'credentials-refused');
      assert.match(st.classes.push.lastError.message, /^credentials refused/);
      assert.ok(proxy.connections <= 1, `${proxy.connections} connections in 2.5 s with a 0.3 s interval`);
      assert.ok(Date.parse(st.nextRunAt!) - Date.now() > 3600_000, 'the next try waits hours, not seconds');
    } finally {
      await hub.close();
    }
  });

  it("central refuses another hub's submissions; they stay unconfirmed; the hub gets only its content", async () => {
    const e = await central.enroll('nara-01');
    const hub = await startSyncHub({
      hubId: 'nara-01',
      commune: 'nara',
      region: 'koulikoro',
      centralUrl: proxy.url,
      username: e.username,
      password: e.password,
    });
    try {
      const own = await writeSubmissions(hub.dbs, 'nara-01', 3);
      const forged = submissionId('kita-02', 'response');
      await hub.dbs.submissions.put({
        _id: forged,
        type: 'response',
        hubId: 'kita-02',
        createdAt: '2026-11-22T09:00:00Z',
        consultation: 'consultation:eau',
        option: 'puits',
        deviceId: 'device-forged',
      });
      const r = await hub.engine.runNow('test');
      const st = hub.engine.status();
      assert.equal(st.classes.push.lastError?.kind, 'refused-by-central');
      assert.match(st.classes.push.lastError.message, /central refused 1 submission/);
      assert.equal(r.classes.content?.ok, true, 'content still comes down');
      assert.deepEqual((await centralIds(central, hubCentralDb('nara-01'), 'nara-01:')).sort(), own.sort());
      assert.deepEqual(await centralIds(central, hubCentralDb('nara-01'), 'kita-02:'), []);
      assert.deepEqual(await hub.engine.unconfirmed(), [forged]);
      // Koulikoro/nara: only the docs for all (the three media announcements), none for nioro or the Kayes region.
      const local = (await hub.dbs.content.allDocs()).rows.map((x) => x.id).sort();
      assert.deepEqual(local, ['announcement:media-0-0', 'announcement:media-1-0', 'announcement:media-2-0']);
    } finally {
      await hub.close();
    }
  });
});
