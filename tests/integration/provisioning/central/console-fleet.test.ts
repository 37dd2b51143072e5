import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { couch } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { ANALYST, consoleLogin, startTestConsole, type TestConsole } from '../../../support/console.js';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

function heartbeat(hubId: string, o: { at: string; temperatureC: number; freeBytes: number; tls?: Record<string, unknown> }) {
  return {
    _id: hubId,
    type: 'heartbeat',
    hubId,
    spaceName: `Espace ${hubId}`,
    commune: 'kayes-commune',
    region: 'kayes',
    version: '0.9.0',
    at: o.at,
    uptimeSeconds: 3600,
    disk: { freeBytes: o.freeBytes, totalBytes: 32 * 1024 ** 3 },
    temperatureC: o.temperatureC,
    lastSync: o.at,
    counts: {},
    ...(o.tls ? { tls: o.tls } : {}),
  };
}

describe("central's console: the fleet", () => {
  let central: TestCentral;
  let cons: TestConsole;

  before(async () => {
    central = await startTestCentral();
    cons = await startTestConsole(central);
    const docs = [
      heartbeat('kayes-01', { at: hoursAgo(1), temperatureC: 51, freeBytes: 20 * 1024 ** 3 }),
      heartbeat('nioro-01', {
        at: hoursAgo(72),
        temperatureC: 81,
        freeBytes: 20 * 1024 ** 3,
        tls: {
          name: 'nioro-01.hubs.example.org',
          state: 'lapsed',
          csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
          why: 'expired',
        },
      }),
    ];
    for (const doc of docs) {
      const e = await central.enroll(doc.hubId);
      const put = await couch(central.url, `submissions-${doc.hubId}/${doc._id}`, { username: e.username, password: e.password }, { method: 'PUT', body: doc });
      assert.equal(put.status, 201, JSON.stringify(put.body));
    }
    await central.settled();
  });
  after(async () => {
    await cons?.stop();
    await central?.stop();
  });

  it('shows every hub from its heartbeat, the ones to visit first, in French', async () => {
    const analyst = await consoleLogin(cons.origin, ANALYST);
    const res = await analyst.get('/console/flotte');
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /2 hub\(s\), dont 1 à voir/);
    assert.ok(page.indexOf('nioro-01') < page.indexOf('kayes-01'), 'the hub to visit comes first');
    assert.match(page, /silencieux depuis plus de 48 h/);
    assert.match(page, /trop chaud/);
    assert.match(page, /HTTPS expiré ou à renouveler/);
    assert.match(page, /<meta http-equiv="refresh" content="60">/);
  });

  it('is not for editors: CouchDB gives them no fleet, and the console says so first', async () => {
    const editor = await consoleLogin(cons.origin, central.editor);
    assert.equal((await editor.get('/console/flotte')).status, 403);
  });
});
