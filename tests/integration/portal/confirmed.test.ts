import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { seedFixtures, startTestHub, type TestHub } from '../../support/index.js';

describe('a vote counted here, then confirmed in Bamako', () => {
  let central: TestCentral;
  let hub: TestHub;
  before(async () => {
    central = await startTestCentral();
    const e = await central.enroll('vote-01');
    hub = await startTestHub({ hubId: 'vote-01', central: { url: central.url, username: e.username, password: e.password } });
    await seedFixtures(hub);
  });
  after(async () => {
    await hub?.stop();
    await central?.stop();
  });

  it('shows "confirmed in Bamako" once the sync has pushed the vote to central', async () => {
    const vote = await fetch(`${hub.url}/participer/priorites`, {
      method: 'POST',
      headers: { Cookie: 'lang=fr; device=phone-0001-abcdef', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'option=eau',
      redirect: 'manual',
    });
    assert.equal(vote.status, 303);
    const id = /vote-priorites=([^;]+)/.exec(vote.headers.get('set-cookie') ?? '')![1]!;
    const status = async () => ((await (await fetch(`${hub.url}/api/v1/submissions/${id}/status`)).json()) as { state: string }).state;
    const page = async () => (await fetch(`${hub.url}/participer/priorites`, { headers: { Cookie: `lang=fr; vote-priorites=${id}` } })).text();
    assert.equal(await status(), 'counted-here');
    assert.match(await page(), /<p data-central hidden>/);

    const run = await hub.deps.sync.runNow('test');
    assert.equal(run.ok, true);
    assert.equal(await status(), 'confirmed-central');
    assert.doesNotMatch(await page(), /<p data-central hidden>/);
    assert.match(await page(), /Votre vote est confirmé à Bamako/);
  });
});
