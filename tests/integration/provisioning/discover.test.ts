import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../hub/config/index.js';
import { silentLogger } from '../../../hub/index.js';
import { advertiseHub, browseHubs, nthName, type FoundHub } from '../../../hub/mdns/index.js';
import { runCli } from '../../support/cli.js';
import { startTestHub, type TestHub } from '../../support/hub.js';

/** Unique per run: port 5353 is shared by every test on this machine. */
const unique = () => `t${randomBytes(4).toString('hex')}`;

describe('mDNS: the hub advertises itself, espace discover finds it', () => {
  let hub: TestHub;
  const hubId = `disc-${unique()}`;
  before(async () => {
    hub = await startTestHub({ hubId, mdnsName: unique(), spaceName: 'Espace de test (découverte)', mdns: true, mdnsInterface: '127.0.0.1' });
  });
  after(() => hub.stop());

  it('lists the running hub with its id, name, address, version and status', async () => {
    const r = await runCli(['discover', '--json', '--timeout', '3', '--interface', '127.0.0.1']);
    assert.equal(r.code, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as FoundHub[]).find((h) => h.id === hubId);
    assert.ok(found, `hub ${hubId} not found in ${r.stdout}`);
    assert.equal(found.port, hub.port);
    assert.equal(found.name, 'Espace de test (découverte)');
    assert.equal(found.version, hub.deps.version);
    assert.equal(found.status, 'ok');
    assert.equal(found.lastSync, 'never');
    const health = await fetch(`http://127.0.0.1:${found.port}/health`);
    assert.equal(health.status, 200);

    const table = await runCli(['discover', '--timeout', '3', '--interface', '127.0.0.1']);
    assert.match(table.stdout, /^NAME +ID +ADDRESS +VERSION +STATUS +LAST SYNC$/m);
    assert.match(table.stdout, new RegExp(`${hubId} +http://[\\d.]+:${hub.port}/ .* never`));
  });
});

describe('mDNS advertiser', () => {
  it('publishes a new last sync time, and nothing when mdns is off', async () => {
    const id = `upd-${unique()}`;
    const config = loadConfig({ env: {}, overrides: { hubId: id, mdnsName: unique(), mdns: true, mdnsInterface: '127.0.0.1' } });
    const ad = advertiseHub(config, 4242, { id, name: 'x', version: '0.0.1', status: 'ok' }, silentLogger())!;
    const off = advertiseHub({ ...config, hubId: `off-${unique()}`, mdns: false }, 4243, { id: 'off', name: 'x', version: '0', status: 'ok' }, silentLogger());
    assert.equal(off, null);
    try {
      ad.update({ lastSync: '2026-11-20T22:00:00.000Z' });
      await new Promise((r) => setTimeout(r, 300));
      const found = (await browseHubs(2500, '127.0.0.1')).find((h) => h.id === id);
      assert.equal(found?.lastSync, '2026-11-20T22:00:00.000Z');
      assert.equal(found?.port, 4242);
    } finally {
      await ad.stop();
    }
  });
});

describe('mDNS: two hubs under one name on one LAN (a spare Pi, a second space)', () => {
  it('both appear, the second under the next free name (RFC 6762 §9), logged', async () => {
    const id = `twin-${unique()}`;
    const config = loadConfig({ env: {}, overrides: { hubId: id, mdnsName: unique(), mdns: true, mdnsInterface: '127.0.0.1' } });
    const first = advertiseHub(config, 4301, { id, name: 'Espace A', version: '0.0.1', status: 'ok' }, silentLogger())!;
    const wanted = await first.name();
    // Give the first its announcement before the second probes.
    await new Promise((r) => setTimeout(r, 1200));
    const warnings: unknown[] = [];
    const log = silentLogger();
    const spy = Object.assign(Object.create(log) as typeof log, { warn: (...args: unknown[]) => void warnings.push(args) });
    const second = advertiseHub(config, 4302, { id, name: 'Espace B', version: '0.0.1', status: 'ok' }, spy)!;
    try {
      assert.equal(await second.name(), nthName(wanted, 2));
      assert.match(JSON.stringify(warnings), /already in use.*RFC 6762/);
      await new Promise((r) => setTimeout(r, 300));
      const found = (await browseHubs(2500, '127.0.0.1')).filter((h) => h.id === id);
      assert.deepEqual(
        found.map((h) => [h.instance, h.port, h.name]).sort((a, b) => Number(a[1]) - Number(b[1])),
        [
          [wanted, 4301, 'Espace A'],
          [nthName(wanted, 2), 4302, 'Espace B'],
        ]
      );
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
