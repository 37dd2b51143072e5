import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { HeartbeatWriter } from '../../../hub/fleet/index.js';
import { couch } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { runCli } from '../../support/cli.js';
import { startTestHub, tempDir, type TestHub } from '../../support/index.js';
import { issueFromCsr, testCa } from '../../support/tls.js';

const HUB = 'kayes-tls';
const DOMAIN = 'hubs.espace-test.example';

/** Every way the key could show in text: its PEM, its base64 body lines, its DER in hex. */
function keyTraces(keyPem: string): string[] {
  const body = keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  return ['PRIVATE KEY', body.slice(10, 60), der.subarray(30, 62).toString('hex'), der.subarray(30, 62).toString('latin1')];
}

describe('the certificate request goes up with the sync, the chain comes down, the key stays on the hub', () => {
  let central: TestCentral;
  let hub: TestHub;
  let creds: { username: string; password: string };
  const dir = tempDir('espace-tls-usb-');

  before(async () => {
    central = await startTestCentral();
    const e = await central.enroll(HUB);
    creds = { username: e.username, password: e.password };
    hub = await startTestHub({ hubId: HUB, tls: { domain: DOMAIN, port: 0 }, central: { url: central.url, ...creds } });
  });
  after(async () => {
    await hub?.stop();
    await central?.stop();
    dir.remove();
  });

  it('pushes the CSR in the heartbeat; nothing at central holds key material', async () => {
    const key = readFileSync(hub.deps.tls!.store.keyPath, 'utf8');
    // The heartbeat written at start carries the state and the CSR.
    let local: { tls?: { csr: string } } | undefined;
    for (let i = 0; i < 100 && !local?.tls; i += 1) {
      local = (await hub.deps.dbs.fleet.get(HUB).catch(() => undefined)) as typeof local;
      if (!local?.tls) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(local?.tls, 'the heartbeat has the tls state');
    const run = await hub.deps.sync.runNow();
    assert.ok(run.ok, JSON.stringify(run.classes));
    await central.settled(); // the heartbeat reaches `fleet` by central's replicator

    const fleet = await couch<{ tls?: { csr: string; state: string; name: string } }>(central.url, `fleet/${HUB}`, central.admin);
    assert.equal(fleet.status, 200);
    assert.equal(fleet.body.tls?.state, 'waiting');
    assert.equal(fleet.body.tls?.name, `${HUB}.${DOMAIN}`);
    assert.match(fleet.body.tls.csr, /^-----BEGIN CERTIFICATE REQUEST-----/);
    // Everything central holds from this hub, as text: no trace of the key.
    for (const db of ['fleet', 'submissions', `submissions-${HUB}`]) {
      const all = await couch<unknown>(central.url, `${db}/_all_docs?include_docs=true&attachments=true`, central.admin);
      const text = JSON.stringify(all.body);
      for (const trace of keyTraces(key)) assert.ok(!text.includes(trace), `${db} at central holds key material (${trace.slice(0, 20)}…)`);
    }
    for (const trace of keyTraces(key)) assert.ok(!fleet.body.tls.csr.includes(trace));
  });

  it('installs the chain central publishes for it with the next pull, and serves HTTPS', async () => {
    const fleet = await couch<{ tls: { csr: string } }>(central.url, `fleet/${HUB}`, central.admin);
    const ca = await testCa();
    const chain = await issueFromCsr(ca, fleet.body.tls.csr);
    const leaf = new X509Certificate(chain);
    const doc = {
      _id: `certificate:${HUB}`,
      type: 'certificate',
      hubId: HUB,
      name: `${HUB}.${DOMAIN}`,
      audience: { hubs: [HUB] },
      chain,
      notBefore: new Date(leaf.validFrom).toISOString(),
      notAfter: new Date(leaf.validTo).toISOString(),
      csrSha256: 'a'.repeat(64),
      issuedAt: new Date().toISOString(),
    };
    const put = await couch(central.url, `content/${doc._id}`, central.editor, { method: 'PUT', body: doc });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    // Another hub's certificate is not pulled here.
    const other = { ...doc, _id: 'certificate:kayes-autre', hubId: 'kayes-autre', name: `kayes-autre.${DOMAIN}`, audience: { hubs: ['kayes-autre'] } };
    assert.equal((await couch(central.url, `content/${other._id}`, central.editor, { method: 'PUT', body: other })).status, 201);

    const run = await hub.deps.sync.runNow();
    assert.ok(run.ok, JSON.stringify(run.classes));
    for (let i = 0; i < 100 && hub.deps.tls!.port === null; i += 1) await new Promise((r) => setTimeout(r, 50));
    assert.ok(hub.deps.tls!.port, 'HTTPS listens once the chain arrived');
    assert.equal(hub.deps.tls!.state().state, 'valid');
    await assert.rejects(hub.deps.dbs.content.get('certificate:kayes-autre'), /missing|deleted|not_found/);
    // The next heartbeat tells central it is served, and when to renew.
    const hb = await new HeartbeatWriter({
      config: hub.deps.config,
      dbs: hub.deps.dbs,
      version: 'test',
      log: hub.deps.log,
      tls: () => hub.deps.tls!.heartbeat(),
    }).build();
    assert.equal(hb.tls?.state, 'valid');
    assert.ok(Date.parse(hb.tls.renewAt!) < Date.parse(hb.tls.notAfter!));
  });
  it('writes no key material into a USB bundle either', async () => {
    // `espace usb export` opens the databases: the hub is stopped, as on the Pi.
    const key = readFileSync(hub.deps.tls!.store.keyPath, 'utf8');
    await hub.close();
    const config = join(dir.path, 'espace.yaml');
    writeFileSync(config, stringify({ hubId: HUB, dataDir: hub.dataDir, tls: { domain: DOMAIN }, central: { url: central.url, username: creds.username } }));
    const stick = join(dir.path, 'stick');
    const r = await runCli(['usb', 'export', stick, '--config', config, '--secrets', join(dir.path, 'none.env')], {
      env: { ESPACE_CENTRAL_PASSWORD: creds.password },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 heartbeat/);
    const file = join(stick, 'espace-bundles', readdirSync(join(stick, 'espace-bundles'))[0]!);
    const bytes = readFileSync(file).toString('latin1');
    for (const trace of keyTraces(key)) assert.ok(!bytes.includes(trace), 'the bundle holds key material');
    // Loaded at central, the bundle's heartbeat carries the CSR and nothing more.
    const loaded = await runCli(['usb', 'load-central', file, '--central', central.url], {
      env: { ESPACE_CENTRAL_USERNAME: creds.username, ESPACE_CENTRAL_PASSWORD: creds.password },
    });
    assert.equal(loaded.code, 0, loaded.stderr);
  });
});
