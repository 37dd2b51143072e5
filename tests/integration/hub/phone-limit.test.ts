import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedFixtures, startTestHub, type TestHub } from '../../support/index.js';

/** Issue #20, item 9: a phone had 30 writes a minute through the portal's forms and 30 more through the API. */
describe('one write limit per phone', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ limits: { submissionsPerMinute: 4 } });
    await seedFixtures(hub);
  });
  after(() => hub.stop());

  const api = (i: number) =>
    fetch(`${hub.url}/api/v1/submissions/response`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ consultation: 'consultation:priorites', option: 'eau', deviceId: `device-limit-${i}` }),
    });
  const form = (i: number) =>
    fetch(`${hub.url}/participer/priorites`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `lang=fr; device=phone-limit-${i}-abcdef`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'option=ecole',
    });

  it('counts forms and API calls together', async () => {
    assert.equal((await api(1)).status, 201);
    assert.equal((await form(2)).status, 303);
    assert.equal((await api(3)).status, 201);
    assert.equal((await form(4)).status, 303);
    const overApi = await api(5);
    assert.equal(overApi.status, 429, 'the fifth write of the minute, through the API');
    assert.equal(((await overApi.json()) as { reason: string }).reason, 'too-many-submissions');
    assert.equal((await form(6)).status, 429, 'and through a form');
  });
});
