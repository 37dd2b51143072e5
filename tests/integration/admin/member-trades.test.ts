import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestHub } from '../../support/index.js';
import { login, startConsoleHub, type Client } from './console.js';

/**
 * The facilitator's registration form records what the SMS notices and the opportunities
 * read: the person's trades and their consent to SMS, and that it came on paper.
 */
describe("a member's trades and SMS consent at the console", () => {
  let hub: TestHub;
  let f: Client;

  before(async () => {
    hub = await startConsoleHub();
    f = await login(hub.url, 'facilitator');
  });
  after(async () => {
    await hub?.stop();
  });

  it('records trades, SMS consent and the channel "paper"; a refused form keeps the ticks', async () => {
    const form = {
      fullName: 'Kadiatou Sissoko',
      sex: 'F',
      ageBand: '25-35',
      commune: 'kayes',
      phone: '76 12 34 56',
      trades: 'textile-teinture',
      smsConsent: 'yes',
    };
    const refused = await f.post('/admin/members', form);
    assert.equal(refused.status, 422, 'no consent to keep the details: refused');
    const page = await refused.text();
    assert.match(page, /value="textile-teinture" checked/);
    assert.match(page, /name="smsConsent" value="yes" checked/);
    assert.equal(
      (await hub.deps.dbs.submissions.allDocs({ startkey: 'kayes-demo:registration:', endkey: 'kayes-demo:registration:\uffff' })).rows.length,
      0,
      'nothing half-stored'
    );

    const ok = await f.post('/admin/members', { ...form, consent: 'yes' });
    assert.equal(ok.status, 303);
    const id = decodeURIComponent(ok.headers.get('location')!.slice('/admin/members/'.length));
    const doc = (await hub.deps.dbs.submissions.get(id)) as Record<string, unknown>;
    assert.deepEqual(doc.trades, ['textile-teinture']);
    assert.equal(doc.smsConsent, true);
    assert.equal(doc.channel, 'paper');

    // Consent to SMS withdrawn at the space: unticked and saved.
    const { smsConsent: _dropped, ...withoutSms } = form;
    assert.equal((await f.post(`/admin/members/${encodeURIComponent(id)}`, { ...withoutSms, trades: 'cuir' })).status, 303);
    const edited = (await hub.deps.dbs.submissions.get(id)) as Record<string, unknown>;
    assert.deepEqual(edited.trades, ['cuir']);
    assert.equal(edited.smsConsent, false);
    const shown = await (await f.get(`/admin/members/${encodeURIComponent(id)}`)).text();
    assert.match(shown, /value="cuir" checked/);
    assert.doesNotMatch(shown, /name="smsConsent" value="yes" checked/);
  });
});
