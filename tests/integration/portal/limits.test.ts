import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedFixtures, startTestHub, type TestHub } from '../../support/index.js';

describe('portal forms share the per-phone submission limit', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ limits: { bodyBytes: 65_536, submissionsPerMinute: 3 } });
    await seedFixtures(hub);
  });
  after(() => hub.stop());

  it('answers a kind page with 429 once a phone sends too many forms in a minute', async () => {
    const post = () =>
      fetch(`${hub.url}/elus/kayes-maire/message`, {
        method: 'POST',
        headers: { Cookie: 'lang=fr', Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'message=Bonjour',
        redirect: 'manual',
      });
    for (let i = 0; i < 3; i += 1) assert.equal((await post()).status, 303);
    const refused = await post();
    assert.equal(refused.status, 429);
    assert.match(await refused.text(), /Trop d&#39;envois depuis ce téléphone/);
    const stored = await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:feedback:', endkey: 'kayes-demo:feedback:\ufff0' });
    assert.equal(stored.rows.length, 3);
  });
});
