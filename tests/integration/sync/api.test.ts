import { hubCentralDb } from '../../../content/index.js';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { confirmedInBamako } from '../../../hub/sync/index.js';
import { formatStatus } from '../../../provisioning/commands/sync.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { startTestHub, type TestHub } from '../../support/hub.js';
import { centralIds, writeSubmissions } from '../../support/sync-fixtures.js';

describe('sync API on the hub', () => {
  let central: TestCentral;
  let hub: TestHub;

  before(async () => {
    central = await startTestCentral();
    const e = await central.enroll('api-01');
    hub = await startTestHub({ hubId: 'api-01', central: { url: central.url, username: e.username, password: e.password } });
  });
  after(async () => {
    await hub.stop();
    await central.stop();
  });

  it('POST /api/v1/sync/now?wait=1 runs a sync; GET /api/v1/sync shows it in plain words', async () => {
    const ids = await writeSubmissions(hub.deps.dbs, 'api-01', 25);
    const before = (await (await fetch(`${hub.url}/api/v1/sync`)).json()) as { unconfirmedSubmissions: number; configured: boolean };
    assert.equal(before.configured, true);
    assert.equal(before.unconfirmedSubmissions, 25);
    assert.equal((await confirmedInBamako(hub.deps.dbs.submissions, [ids[0]!])).get(ids[0]!), false);
    const res = await fetch(`${hub.url}/api/v1/sync/now?wait=1`, { method: 'POST' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { result: { ok: boolean; bytes: number } };
    assert.equal(body.result.ok, true);
    assert.ok(body.result.bytes > 0);
    assert.deepEqual((await centralIds(central, hubCentralDb('api-01'), 'api-01:')).sort(), ids.sort());
    const status = (await (await fetch(`${hub.url}/api/v1/sync`)).json()) as Parameters<typeof formatStatus>[0];
    assert.equal(status.unconfirmedSubmissions, 0);
    const confirmed = await confirmedInBamako(hub.deps.dbs.submissions, [ids[0]!, 'api-01:response:0000000000000unknown']);
    assert.deepEqual([...confirmed.values()], [true, false]);
    assert.ok(status.classes.push.lastSuccess);
    assert.equal(status.classes.push.lastError, null);
    const text = formatStatus(status);
    assert.match(text, /submissions not yet confirmed in Bamako: 0/);
    assert.match(text, /push +last success 20\d\d-/);
    assert.match(text, /data today \(\d{4}-\d\d-\d\d\): 0\.\d\d MB of 50\.00 MB/);
  });

  it('refuses POST /api/v1/sync/now from any other address than the Pi itself', async () => {
    const { port } = new URL(hub.url);
    // 127.0.0.2 stands for a phone on the LAN: only 127.0.0.1 and ::1 may start a sync for now.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(port), path: '/api/v1/sync/now', method: 'POST', localAddress: '127.0.0.2' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(answer.status, 403);
    assert.equal(JSON.parse(answer.body).reason, 'loopback-only');
  });

  it('POST /api/v1/sync/now without wait answers 202 at once', async () => {
    const res = await fetch(`${hub.url}/api/v1/sync/now`, { method: 'POST' });
    assert.equal(res.status, 202);
    await hub.deps.sync.runNow('join');
  });
});
