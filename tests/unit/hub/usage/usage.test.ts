import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { UsageCounter } from '../../../../hub/usage/index.js';
import { tempDir } from '../../../support/hub.js';

const dir = tempDir('espace-usage-');
let dbs: Databases;

before(async () => {
  dbs = await openDatabases(dir.path, silentLogger());
});
after(async () => {
  mock.timers.reset();
  await closeDatabases(dbs);
  dir.remove();
});

async function day(date: string): Promise<{ visits: number; pageViews: Record<string, number> } | null> {
  return (await dbs.submissions.get(`hub-t:usage:${date}`).catch(() => null)) as never;
}

test('counts land in the day they were made, across midnight and when the clock is set back', async () => {
  mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-11-22T23:59:59.500Z') });
  const usage = new UsageCounter(dbs.submissions, 'hub-t', silentLogger());
  usage.visit();
  usage.pageView('apprendre');
  usage.pageView('apprendre');
  mock.timers.tick(1000); // 2026-11-23T00:00:00.500Z
  usage.pageView('elus');
  usage.visit();
  // A Pi that booted with a date from its last shutdown, corrected back by NTP.
  mock.timers.setTime(Date.parse('2026-11-20T10:00:00Z'));
  usage.pageView('participer');
  await usage.stop();

  assert.deepEqual(await day('2026-11-22').then((d) => d && { visits: d.visits, pageViews: d.pageViews }), { visits: 1, pageViews: { apprendre: 2 } });
  assert.deepEqual(await day('2026-11-23').then((d) => d && { visits: d.visits, pageViews: d.pageViews }), { visits: 1, pageViews: { elus: 1 } });
  assert.deepEqual(await day('2026-11-20').then((d) => d && { visits: d.visits, pageViews: d.pageViews }), { visits: 0, pageViews: { participer: 1 } });
});
