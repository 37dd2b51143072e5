import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { couch } from '../../../provisioning/central/index.js';
import { startNamed, startPebble, type TestNamed, type TestPebble } from '../../support/acme.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { runCli } from '../../support/cli.js';
import { startTestHub, tempDir, type TestHub } from '../../support/index.js';
import { issueFromCsr, testCa } from '../../support/tls.js';

const DOMAIN = `hubs-${process.pid}.espace-test.example`;
const A = 'kayes-acme';
const B = 'nioro-acme';
const DAY = 24 * 3600 * 1000;

type CertDoc = { _id: string; _rev: string; chain: string; notBefore: string; notAfter: string; csrSha256: string; audience: { hubs: string[] } };

/** The certificate a TLS client gets from the hub at `name`, and whether it validates against `root`. */
function handshake(port: number, name: string, root: string): Promise<{ authorized: boolean; error?: string; issuer: string; notAfter: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: name, ca: root, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      resolve({
        authorized: socket.authorized,
        error: socket.authorizationError?.toString(),
        issuer: String(cert.issuer.CN ?? ''),
        notAfter: new Date(cert.valid_to).toISOString(),
      });
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** A GET over HTTPS at the hub's name, trusting only `root`. */
function httpsGet(port: number, name: string, path: string, root: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, servername: name, headers: { host: name }, ca: root }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('central orders the hubs’ certificates from an ACME CA (pebble) with DNS-01 through BIND (RFC 2136 + TSIG)', () => {
  let named: TestNamed;
  let pebble: TestPebble;
  let central: TestCentral;
  const hubs: Record<string, TestHub> = {};
  const dir = tempDir('espace-acme-');
  const cli = (verb: string, extra: string[] = [], keyFile?: string) =>
    runCli(
      [
        'central',
        'tls',
        verb,
        '--url',
        central.url,
        '--domain',
        DOMAIN,
        '--directory',
        pebble.directoryUrl,
        '--acme-ca',
        pebble.serverCaFile,
        '--account-key',
        join(dir.path, 'account.pem'),
        '--dns-server',
        named.server,
        '--tsig-key',
        keyFile ?? named.keyFile,
        '--propagation-timeout',
        '10',
        ...extra,
      ],
      { env: { ESPACE_CENTRAL_ADMIN_USER: central.admin.username, ESPACE_CENTRAL_ADMIN_PASSWORD: central.admin.password }, timeoutMs: 50_000 }
    );
  const certDoc = async (hubId: string) => couch<CertDoc>(central.url, `content/certificate:${hubId}`, central.admin);
  /** A heartbeat at central with a request for `names` (the first as the hub's name), as a hub's would arrive. */
  const heartbeatWith = async (hubId: string, names: string[]) => {
    const { default: acme } = await import('acme-client');
    const [, csr] = await acme.crypto.createCsr({ commonName: names[0], altNames: names });
    const hb = await couch(central.url, `fleet/${A}`, central.admin);
    const doc: Record<string, unknown> = { ...hb.body, _id: hubId, hubId, tls: { name: names[0], state: 'waiting', csr: csr.toString() } };
    delete doc._rev;
    assert.equal((await couch(central.url, `fleet/${hubId}`, central.admin, { method: 'PUT', body: doc })).status, 201);
  };
  const served = async (hub: TestHub, fingerprintNot?: string) => {
    for (let i = 0; i < 200; i += 1) {
      const s = hub.deps.tls!.state();
      if (hub.deps.tls!.port && s.state === 'valid' && s.certificate.fingerprint !== fingerprintNot) return s.certificate;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the hub did not serve a new certificate');
  };

  before(async () => {
    named = await startNamed(DOMAIN);
    pebble = await startPebble(named.server);
    central = await startTestCentral();
    for (const id of [A, B]) {
      const e = await central.enroll(id);
      hubs[id] = await startTestHub({ hubId: id, tls: { domain: DOMAIN, port: 0 }, central: { url: central.url, username: e.username, password: e.password } });
      const run = await hubs[id].deps.sync.runNow();
      assert.ok(run.ok, JSON.stringify(run.classes));
    }
    // Central's replicator merges each hub's heartbeat (with its CSR) into `fleet`.
    for (const id of [A, B]) {
      for (let i = 0; i < 200; i += 1) {
        const hb = await couch<{ tls?: unknown }>(central.url, `fleet/${id}`, central.admin);
        if (hb.status === 200 && hb.body.tls) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  after(async () => {
    for (const hub of Object.values(hubs)) await hub.stop();
    await central?.stop();
    await pebble?.stop();
    await named?.stop();
    dir.remove();
  });

  it('a TSIG key the DNS server does not know: a clear error, exit 1, no certificate written', async () => {
    const wrong = join(dir.path, 'wrong.key');
    writeFileSync(wrong, execFileSync('tsig-keygen', ['-a', 'hmac-sha256', 'not-the-key'], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } }));
    const r = await cli('order', [], wrong);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAILED +kayes-acme: could not add the TXT record _acme-challenge\.kayes-acme\..*TSIG/);
    assert.match(r.stderr, /could not be ordered/);
    assert.equal((await certDoc(A)).status, 404);
    assert.equal((await certDoc(B)).status, 404);
  });

  it('orders both hubs’ certificates; the hub pulls its own and serves HTTPS that validates against pebble’s root', async () => {
    const r = await cli('order');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 issued, 0 not due, 0 refused, 0 failed/);
    const doc = await certDoc(A);
    assert.equal(doc.status, 200);
    assert.deepEqual(doc.body.audience, { hubs: [A] });
    // The TXT records are gone from the zone.
    assert.deepEqual(await named.txt(`_acme-challenge.${A}.${DOMAIN}`), []);
    assert.deepEqual(await named.txt(`_acme-challenge.${B}.${DOMAIN}`), []);

    const hub = hubs[A]!;
    const run = await hub.deps.sync.runNow();
    assert.ok(run.ok, JSON.stringify(run.classes));
    const cert = await served(hub);
    const root = await pebble.root();
    const name = `${A}.${DOMAIN}`;
    const tls = await handshake(hub.deps.tls!.port!, name, root);
    assert.ok(tls.authorized, `the chain does not validate against pebble's root: ${tls.error}`);
    assert.match(tls.issuer, /Pebble Intermediate/i);
    assert.equal(tls.notAfter, cert.notAfter);
    const health = await httpsGet(hub.deps.tls!.port!, name, '/api/v1/secure-origin', root);
    assert.equal(health.status, 200, health.body);
    // Another hub's certificate did not come to this one.
    await assert.rejects(hub.deps.dbs.content.get(`certificate:${B}`), /missing|deleted|not_found/);
  });

  it('renew: a certificate past two thirds of its life is renewed and reaches the hub; one not due is left alone', async () => {
    // Hub B's certificate at central is replaced by one 70 days into a 90-day life (same request).
    const current = await certDoc(B);
    const fleet = await couch<{ tls: { csr: string } }>(central.url, `fleet/${B}`, central.admin);
    const ca = await testCa();
    const aged = await issueFromCsr(ca, fleet.body.tls.csr, { notBefore: new Date(Date.now() - 70 * DAY), notAfter: new Date(Date.now() + 20 * DAY) });
    const leaf = new X509Certificate(aged);
    const put = await couch(central.url, `content/certificate:${B}`, central.admin, {
      method: 'PUT',
      body: { ...current.body, chain: aged, notBefore: new Date(leaf.validFrom).toISOString(), notAfter: new Date(leaf.validTo).toISOString() },
    });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    const hub = hubs[B]!;
    assert.ok((await hub.deps.sync.runNow()).ok);
    const old = await served(hub);
    assert.match(old.issuer, /Espace test CA/);
    const before = { a: (await certDoc(A)).body._rev, b: (await certDoc(B)).body._rev };

    const dry = await cli('renew', ['--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`renew +${B}: past two thirds`));
    assert.match(dry.stdout, new RegExp(`ok +${A}: valid until`));

    const r = await cli('renew');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`issued +${B}: ${B}\\.${DOMAIN.replace(/\./g, '\\.')}`));
    assert.match(r.stdout, new RegExp(`not due +${A}: valid until`));
    assert.match(r.stdout, /1 issued, 1 not due, 0 refused, 0 failed/);
    assert.equal((await certDoc(A)).body._rev, before.a, 'the certificate not due is untouched');
    const renewed = await certDoc(B);
    assert.notEqual(renewed.body._rev, before.b);
    assert.ok(Date.parse(renewed.body.notAfter) > Date.parse(old.notAfter));

    assert.ok((await hub.deps.sync.runNow()).ok);
    const now = await served(hub, old.fingerprint);
    const tls = await handshake(hub.deps.tls!.port!, `${B}.${DOMAIN}`, await pebble.root());
    assert.ok(tls.authorized, tls.error);
    assert.equal(tls.notAfter, now.notAfter);

    // Run again: nothing is due.
    const again = await cli('renew');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 issued, 2 not due/);
  });
  it('a DNS provider without RFC 2136: a hook program publishes and removes the record', async () => {
    // A new hub's name, never authorized at the CA before: the challenge goes through the hook.
    const C = 'kita-hook';
    await heartbeatWith(C, [`${C}.${DOMAIN}`]);
    const hook = join(dir.path, 'dns-hook.sh');
    const calls = join(dir.path, 'hook-calls.txt');
    const [host, port] = named.server.split(':');
    writeFileSync(
      hook,
      `#!/bin/sh\nset -e\necho "$1 $2" >> ${calls}\nverb=add; ttl=60; [ "$1" = remove ] && verb=delete && ttl=\n` +
        `printf 'server ${host} ${port}\\nupdate %s %s. %s TXT "%s"\\nsend\\n' "$verb" "$2" "$ttl" "$3" | nsupdate -k ${named.keyFile}\n`,
      { mode: 0o755 }
    );
    const r = await runCli(
      [
        'central',
        'tls',
        'order',
        '--url',
        central.url,
        '--domain',
        DOMAIN,
        '--directory',
        pebble.directoryUrl,
        '--acme-ca',
        pebble.serverCaFile,
        '--account-key',
        join(dir.path, 'account.pem'),
        '--dns-hook',
        hook,
        '--check-dns',
        named.server,
        '--hub',
        C,
      ],
      { env: { ESPACE_CENTRAL_ADMIN_USER: central.admin.username, ESPACE_CENTRAL_ADMIN_PASSWORD: central.admin.password }, timeoutMs: 50_000 }
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 issued, 0 not due/);
    assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), [`add _acme-challenge.${C}.${DOMAIN}`, `remove _acme-challenge.${C}.${DOMAIN}`]);
    assert.deepEqual(await named.txt(`_acme-challenge.${C}.${DOMAIN}`), []);
    const doc = await certDoc(C);
    assert.equal(doc.status, 200);
    assert.deepEqual(doc.body.audience, { hubs: [C] });
  });
  it('a request for any name but the hub’s own is refused, never ordered', async () => {
    await heartbeatWith('kita-acme', [`kita-acme.${DOMAIN}`, 'www.example.org']);
    const r = await cli('order', ['--hub', 'kita-acme']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /refused +kita-acme: its certificate request names .*www\.example\.org; only kita-acme\./);
    assert.equal((await certDoc('kita-acme')).status, 404);
  });
});
