import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { statSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../../content/index.js';
import { httpsCheck } from '../../../hub/doctor/index.js';
import { issueFromCsr, testCa, type TestCa } from '../../support/tls.js';
import { seedFixtures, startTestHub, type TestHub } from '../../support/index.js';

const DOMAIN = 'hubs.espace-test.example';
const NAME = `kayes-demo.${DOMAIN}`;

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  reused: boolean;
  fingerprint: string;
}

/** A request over TLS to the loopback hub, as a phone that resolves its name sends it. */
function get(port: number, path: string, ca: string, extra: Partial<RequestOptions> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', servername: NAME, port, path, ca, agent: false, headers: { Host: `${NAME}:${port}` }, ...extra }, (res) => {
      const chunks: Buffer[] = [];
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- an https response's socket is a TLSSocket
      const socket = res.socket as TLSSocket;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          reused: socket.isSessionReused(),
          fingerprint: socket.getPeerCertificate().fingerprint256,
        })
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A bare handshake: whether it resumed the session given. */
function handshake(port: number, ca: string, session?: Buffer): Promise<{ session: Buffer; reused: boolean }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const s = connect({ host: '127.0.0.1', port, servername: NAME, ca, session }, () => {
      // TLS 1.3 sends its ticket after the handshake: wait for it.
      setTimeout(() => {
        const reused = s.isSessionReused();
        const got = ticket ?? s.getSession();
        s.end();
        if (!got) reject(new Error('no session ticket'));
        else resolve({ session: got, reused });
      }, 50);
    });
    s.on('session', (t: Buffer) => (ticket = t));
    s.on('error', reject);
  });
}

async function refusedReason(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    assert.ok(isAppError(e), String(e));
    return `${e.reason}: ${e.details}`;
  }
  return 'accepted';
}

describe('HTTPS on the hub: a second listener through the same fast path, only with a valid certificate', () => {
  let hub: TestHub;
  let ca: TestCa;
  let csr: string;

  before(async () => {
    ca = await testCa();
    hub = await startTestHub({ tls: { domain: DOMAIN, port: 0 } });
    await seedFixtures(hub);
    csr = await hub.deps.tls!.store.csr();
  });
  after(() => hub?.stop());

  it('makes its key (0600) and a CSR for its name, and serves plain HTTP only until a certificate comes', async () => {
    const tls = hub.deps.tls!;
    assert.equal(statSync(tls.store.keyPath).mode & 0o777, 0o600);
    assert.match(csr, /BEGIN CERTIFICATE REQUEST/);
    assert.equal(tls.port, null, 'no HTTPS listener without a certificate');
    assert.equal(tls.state().state, 'waiting');
    const origin = (await (await fetch(`${hub.url}/api/v1/secure-origin`)).json()) as { origin: string | null };
    assert.equal(origin.origin, null);
    const health = (await (await fetch(`${hub.url}/health`)).json()) as { tls: { state: string } };
    assert.equal(health.tls.state, 'waiting');
  });

  it('installs a valid chain and serves pages, API, media ranges and /db over TLS, with keep-alive and resumption', async () => {
    const tls = hub.deps.tls!;
    const chain = await issueFromCsr(ca, csr);
    await tls.install(chain);
    const port = tls.port!;
    assert.ok(port > 0);
    assert.equal(tls.origin(), `https://${NAME}:${port}`);

    const page = await get(port, '/apprendre', ca.certPem);
    assert.equal(page.status, 200);
    assert.match(page.body.toString(), /<html/);
    assert.equal(page.headers['strict-transport-security'], undefined, 'no HSTS: plain HTTP must stay usable');
    const list = await get(port, '/api/v1/content?type=course', ca.certPem);
    assert.equal(list.status, 200);
    const media = (await hub.deps.dbs.media.allDocs()).rows[0]!.id.slice('media:'.length);
    const range = await get(port, `/media/${media}`, ca.certPem, { headers: { Host: NAME, Range: 'bytes=10-19' } });
    assert.equal(range.status, 206);
    assert.equal(range.body.length, 10);
    const db = await get(port, '/db/content', ca.certPem);
    assert.equal(db.status, 200);
    assert.equal(JSON.parse(db.body.toString()).db_name, 'content');

    // One socket for several requests (keep-alive), then a resumed handshake.
    const { Agent } = await import('node:https');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(port, '/api/v1/content?type=course', ca.certPem, { agent });
    const second = await get(port, '/api/v1/content?type=course', ca.certPem, { agent });
    agent.destroy();
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    const one = await handshake(port, ca.certPem);
    assert.equal(one.reused, false);
    const two = await handshake(port, ca.certPem, one.session);
    assert.equal(two.reused, true, 'a returning phone resumes its TLS session');

    const probe = await get(port, '/api/v1/secure-probe', ca.certPem);
    assert.equal(probe.status, 204);
    assert.equal(probe.headers['access-control-allow-origin'], '*');
    assert.equal((await fetch(`${hub.url}/api/v1/secure-probe`)).status, 404, 'the probe proves nothing over plain HTTP');
    const origin = (await (await fetch(`${hub.url}/api/v1/secure-origin`)).json()) as { origin: string | null };
    assert.equal(origin.origin, `https://${NAME}:${port}`);
    // The plain-HTTP page may probe the HTTPS name: its CSP allows it.
    const csp = (await fetch(`${hub.url}/apprendre`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`connect-src 'self' https://${NAME.replace(/\./g, '\\.')}:\\*`));
  });

  it('refuses a chain for another key, another name or already expired, with a clear message, keeping the installed one', async () => {
    const tls = hub.deps.tls!;
    const installed = tls.state();
    assert.equal(installed.state, 'valid');
    const fingerprint = installed.state === 'valid' ? installed.certificate.fingerprint : '';

    // A CSR from another key (another hub's, or a key lost with an old SD card).
    const other = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const { default: acme } = await import('acme-client');
    const [, otherCsr] = await acme.crypto.createCsr({ commonName: NAME, altNames: [NAME] }, other.privateKey);
    const cases: [string, () => Promise<string>, RegExp][] = [
      ['another key', () => issueFromCsr(ca, otherCsr.toString()), /^tls-key-mismatch: .*key/],
      ['another name', () => issueFromCsr(ca, csr, { names: ['kayes-02.hubs.espace-test.example'] }), /^tls-wrong-name: .*kayes-02.* not for kayes-demo/],
      [
        'expired',
        () => issueFromCsr(ca, csr, { notBefore: new Date(Date.now() - 100 * 86400_000), notAfter: new Date(Date.now() - 86400_000) }),
        /^tls-expired: .*expired on/,
      ],
      ['not a chain', async () => 'hello', /^tls-no-certificate/],
    ];
    for (const [what, make, expected] of cases) {
      const chain = await make();
      assert.match(await refusedReason(() => tls.install(chain)), expected, what);
      const now = tls.state();
      assert.equal(now.state === 'valid' && now.certificate.fingerprint, fingerprint, `${what}: the installed certificate is kept`);
      assert.equal((await get(tls.port!, '/health', ca.certPem)).fingerprint, fingerprint);
    }
  });

  it('takes a renewed certificate without a restart, and stops HTTPS at expiry while plain HTTP keeps serving', async () => {
    const tls = hub.deps.tls!;
    const port = tls.port!;
    const before = (await get(port, '/health', ca.certPem)).fingerprint;
    // A short-lived renewal: new connections get it at once.
    const short = await issueFromCsr(ca, csr, { notAfter: new Date(Date.now() + 4000) });
    // An older-ending chain does not replace a longer one: install the short one over a fresh store state.
    assert.match(await refusedReason(() => tls.install(short)), /^tls-older-certificate/);
    await import('node:fs/promises').then((f) => f.rm(tls.store.chainPath));
    await tls.install(short);
    const renewed = await get(port, '/health', ca.certPem);
    assert.notEqual(renewed.fingerprint, before);
    assert.equal(tls.port, port, 'same listener, same port');

    // No one calls refresh: the listener stops by itself at the certificate's last moment.
    await new Promise((r) => setTimeout(r, 5000));
    assert.equal(tls.port, null, 'no HTTPS once the certificate expired');
    await assert.rejects(get(port, '/health', ca.certPem), /ECONNREFUSED/);
    const state = tls.state();
    assert.equal(state.state, 'lapsed');
    assert.match(state.state === 'lapsed' ? state.why : '', /expired on/);
    assert.equal((await fetch(`${hub.url}/apprendre`)).status, 200, 'phones keep plain HTTP');
    // doctor says so, from what the hub reports.
    const doctor = httpsCheck(((await (await fetch(`${hub.url}/health`)).json()) as { tls: Parameters<typeof httpsCheck>[0] }).tls);
    assert.equal(doctor.verdict, 'warning');
    assert.match(doctor.value, /^plain HTTP only: .*expired on/);
    assert.match(doctor.advice, /espace tls install/);
    assert.equal(((await (await fetch(`${hub.url}/api/v1/secure-origin`)).json()) as { origin: null }).origin, null, 'no phone is sent to HTTPS');

    // A fresh chain brings HTTPS back on the same port.
    await tls.install(await issueFromCsr(ca, csr));
    assert.equal(tls.port, port);
    assert.equal((await get(port, '/health', ca.certPem)).status, 200);
  });
});
