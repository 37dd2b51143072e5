import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkCentralCredentials, type HubStanding } from '../../../provisioning/fleet/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { runCli } from '../../support/cli.js';

const GB = 1024 ** 3;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

function heartbeat(hubId: string, o: { at: string; lastSync: string | null; freeBytes: number; temperatureC: number | null }) {
  return {
    _id: hubId,
    type: 'heartbeat',
    hubId,
    spaceName: `Espace ${hubId}`,
    commune: 'kayes',
    region: 'kayes',
    version: '0.1.0',
    at: o.at,
    uptimeSeconds: 3600,
    disk: { freeBytes: o.freeBytes, totalBytes: 32 * GB },
    temperatureC: o.temperatureC,
    lastSync: o.lastSync,
    counts: { content: 10, media: 3, submissions: 4 },
  };
}

describe('espace fleet against a stand-in central', () => {
  let central: TestCentral;
  before(async () => {
    central = await startTestCentral();
    const auth = `Basic ${Buffer.from(`${central.admin.username}:${central.admin.password}`).toString('base64')}`;
    const docs = [
      heartbeat('kayes-01', { at: hoursAgo(1), lastSync: hoursAgo(2), freeBytes: 20 * GB, temperatureC: 55 }),
      heartbeat('nioro-01', { at: hoursAgo(24 * 5), lastSync: null, freeBytes: 20 * GB, temperatureC: null }),
      heartbeat('diema-01', { at: hoursAgo(2), lastSync: hoursAgo(3), freeBytes: 0.5 * GB, temperatureC: 81 }),
    ];
    for (const doc of docs) {
      const res = await fetch(`${central.url}/fleet/${doc._id}`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(doc),
      });
      assert.ok(res.ok, `PUT ${doc._id}: ${res.status} ${await res.text()}`);
    }
  });
  after(() => central.stop());

  const env = () => ({ ESPACE_CENTRAL_USERNAME: central.admin.username, ESPACE_CENTRAL_PASSWORD: central.admin.password });

  it('marks the stale, never-synced, hot and full hubs, and leaves a healthy one unmarked', async () => {
    const r = await runCli(['fleet', '--central', central.url, '--json'], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    const hubs = Object.fromEntries((JSON.parse(r.stdout) as HubStanding[]).map((h) => [h.hubId, h.marks]));
    assert.deepEqual(hubs, { 'kayes-01': [], 'nioro-01': ['stale', 'never-synced'], 'diema-01': ['hot', 'full'] });

    const t = await runCli(['fleet', '--central', central.url], { env: env() });
    assert.match(t.stdout, /^HUB +SPACE +VERSION +SEEN +LAST SYNC +DISK FREE +TEMP +MARKS$/m);
    assert.match(t.stdout, /^nioro-01 .* 5 days ago +never .* stale, never-synced$/m);
    assert.match(t.stdout, /3 hub\(s\), 2 needing attention/);
    assert.doesNotMatch(t.stdout + t.stderr, new RegExp(central.admin.password));
  });

  it('refuses wrong credentials with a sentence, and never takes them from argv', async () => {
    const r = await runCli(['fleet', '--central', central.url], { env: { ESPACE_CENTRAL_USERNAME: 'admin', ESPACE_CENTRAL_PASSWORD: 'wrong' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^espace: central refused these credentials.*ESPACE_CENTRAL_USERNAME/m);
    const argv = await runCli(['fleet', '--central', central.url, '--password', 'x']);
    assert.notEqual(argv.code, 0);
    assert.match(argv.stderr, /unknown option '--password'/);
  });

  it("tells whether central accepts a hub's credentials (the first boot's enrollment check)", async () => {
    const hub = await central.enroll('kayes-fb');
    const ok = await checkCentralCredentials(central.url, { username: hub.username, password: hub.password });
    assert.deepEqual(ok, { ok: true, message: `central at ${new URL(central.url).origin} accepts hub-kayes-fb` });
    const wrong = await checkCentralCredentials(central.url, { username: hub.username, password: 'not-it' });
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /refuses hub-kayes-fb .*espace central enroll/);
  });
});
