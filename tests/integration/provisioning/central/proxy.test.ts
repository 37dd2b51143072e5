import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as x509 from '@peculiar/x509';
import { couch } from '../../../../provisioning/central/couch.js';
import { renderCentral } from '../../../../provisioning/central/render/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { runCli } from '../../../support/cli.js';
import { startTestConsole, type TestConsole } from '../../../support/console.js';
import { freePort, spawnHub, tempDir, type HubProcess } from '../../../support/hub.js';
import { publishAnnouncements, publishMedia } from '../../../support/sync-fixtures.js';
import { testCa } from '../../../support/tls.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A server certificate for localhost and 127.0.0.1 signed by the test CA; the key as PKCS#8 PEM. */
async function serverCertificate(): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const ca = await testCa();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '0a',
    subject: 'CN=localhost',
    issuer: `CN=${ca.name}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { caPem: ca.certPem, certPem: `${leaf.toString('pem')}\n${ca.certPem}\n`, keyPem };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const basic = (u: { username: string; password: string }) => 'Basic ' + Buffer.from(`${u.username}:${u.password}`).toString('base64');

describe('espace central render: nginx in front of central', () => {
  let central: TestCentral;
  let consoleServer: TestConsole;
  let dir: { path: string; remove(): void };
  let nginx: ChildProcess | undefined;
  let hub: HubProcess | undefined;
  let port: number;
  let adminPort: number;
  let caPem: string;
  const hubs: Record<string, { username: string; password: string }> = {};

  const https = (
    method: string,
    path: string,
    opts: { auth?: { username: string; password: string }; headers?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          servername: 'localhost',
          port,
          path,
          method,
          ca: caPem,
          agent: false,
          headers: { ...(opts.auth ? { authorization: basic(opts.auth) } : {}), ...opts.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });

  before(async () => {
    central = await startTestCentral();
    for (const id of ['proxy-01', 'proxy-02']) {
      const e = await central.enroll(id);
      hubs[id] = { username: e.username, password: e.password };
    }
    consoleServer = await startTestConsole(central);
    dir = tempDir('espace-proxy-');
    // nginx's workers run as nobody: they must reach the temp paths.
    chmodSync(dir.path, 0o755);
    const tls = await serverCertificate();
    caPem = tls.caPem;
    writeFileSync(join(dir.path, 'ca.pem'), tls.caPem);
    writeFileSync(join(dir.path, 'cert.pem'), tls.certPem);
    writeFileSync(join(dir.path, 'key.pem'), tls.keyPem, { mode: 0o600 });
    port = await freePort();
    adminPort = await freePort();
    await renderCentral({
      out: join(dir.path, 'out'),
      serverName: 'localhost',
      certificate: join(dir.path, 'cert.pem'),
      certificateKey: join(dir.path, 'key.pem'),
      listen: `127.0.0.1:${port}`,
      httpListen: null,
      adminListen: `127.0.0.1:${adminPort}`,
      couchPort: central.port,
      consolePort: Number(new URL(consoleServer.url).port),
      maxBodyMB: 4,
      maxUploadMB: 8,
    });
    // The rest of Debian's nginx.conf, with paths of the test's own.
    writeFileSync(
      join(dir.path, 'nginx.conf'),
      `pid ${dir.path}/nginx.pid;
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${dir.path}/access.log;
  client_body_temp_path ${dir.path}/tmp-body;
  proxy_temp_path ${dir.path}/tmp-proxy;
  fastcgi_temp_path ${dir.path}/tmp-fastcgi;
  uwsgi_temp_path ${dir.path}/tmp-uwsgi;
  scgi_temp_path ${dir.path}/tmp-scgi;
  include ${dir.path}/out/nginx/espace-central.conf;
}
`,
    );
  });

  after(async () => {
    await hub?.stop();
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((ok) => nginx!.once('exit', ok));
      nginx.kill('SIGTERM');
      await exited;
    }
    await consoleServer.stop();
    await central.stop();
    dir.remove();
  });

  const nginxArgs = () => ['-p', dir.path, '-e', join(dir.path, 'error.log'), '-c', join(dir.path, 'nginx.conf')];

  it('passes nginx -t, then runs on loopback in front of the stand-in', async () => {
    const t = spawnSync('nginx', [...nginxArgs(), '-t'], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stderr, /test is successful/);
    nginx = spawn('nginx', [...nginxArgs(), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const until = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((ok) => {
        const s = connect(port, '127.0.0.1', () => {
          s.destroy();
          ok(true);
        });
        s.on('error', () => ok(false));
      });
      if (up) break;
      if (Date.now() > until) throw new Error(`nginx did not listen: ${readFileSync(join(dir.path, 'error.log'), 'utf8')}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  });

  it("carries a real hub's sync (push and an audience-filtered pull) over TLS", async () => {
    const [image] = await publishMedia(central, [{ size: 300_000, priority: 1 }]);
    const ids = await publishAnnouncements(central, 'proxy', 3, { all: true }, image!.sha256);
    const data = tempDir('espace-proxy-hub-');
    hub = await spawnHub(data.path, {
      ESPACE_HUB_ID: 'proxy-01',
      ESPACE_CENTRAL_URL: `https://localhost:${port}`,
      ESPACE_CENTRAL_USERNAME: hubs['proxy-01']!.username,
      ESPACE_CENTRAL_PASSWORD: hubs['proxy-01']!.password,
      NODE_EXTRA_CA_CERTS: join(dir.path, 'ca.pem'),
      ESPACE_LOG_LEVEL: 'warn',
    });
    const stop = hub.stop.bind(hub);
    hub.stop = async () => {
      await stop();
      data.remove();
    };
    const res = await fetch(`${hub.url}/api/v1/sync/now?wait=1`, { method: 'POST' });
    const body = (await res.json()) as { result: { ok: boolean; error?: unknown } };
    assert.equal(res.status, 200);
    assert.equal(body.result.ok, true, JSON.stringify(body));
    // The heartbeat went up into the hub's own database, the announcements came down.
    const beat = await couch(central.url, 'submissions-proxy-01/proxy-01', central.admin);
    assert.equal(beat.status, 200);
    for (const id of ids) assert.equal((await fetch(`${hub.url}/api/v1/content/${encodeURIComponent(id)}`)).status, 200, id);
    const log = readFileSync(join(dir.path, 'access.log'), 'utf8');
    assert.match(log, /GET \/_session/);
    assert.match(log, /\/submissions-proxy-01\/_bulk_docs|\/submissions-proxy-01\/_revs_diff/);
    // The announcement's image came by ranged download through nginx, whole.
    const media = await fetch(`${hub.url}/media/${image!.sha256}`);
    assert.equal(media.status, 200);
    assert.equal(
      createHash('sha256')
        .update(Buffer.from(await media.arrayBuffer()))
        .digest('hex'),
      image!.sha256,
    );
    assert.match(log, new RegExp(`GET /media/media(:|%3A)${image!.sha256}/file HTTP/1\\.1" 206 `));
  });

  it('refuses the admin endpoints to hubs (and everyone) on the public listener', async () => {
    const hubAuth = hubs['proxy-02']!;
    const refused: [string, string, string?][] = [
      ['POST', '/_replicate', JSON.stringify({ source: 'http://example.org/x', target: 'content' })],
      ['GET', '/_all_dbs'],
      ['GET', '/_utils/'],
      ['GET', '/_node/_local/_config'],
      ['GET', '/_config'],
      ['GET', '/_users/_all_docs'],
      ['GET', '/_replicator/_all_docs'],
      ['GET', '/_membership'],
      ['GET', '/_cluster_setup'],
      ['GET', '/_scheduler/jobs'],
      ['GET', '/_active_tasks'],
      // Tricks that nginx normalises before matching.
      ['GET', '/%5Fall_dbs'],
      ['GET', '//_utils/'],
      ['GET', '/content/../_all_dbs'],
    ];
    for (const [method, path, body] of refused) {
      for (const auth of [hubAuth, central.admin]) {
        const r = await https(method, path, { auth, body, headers: body ? { 'content-type': 'application/json' } : {} });
        assert.equal(r.status, 403, `${method} ${path} as ${auth.username}: ${r.status} ${r.body.toString()}`);
      }
    }
    // What hubs need stays open.
    assert.equal((await https('GET', '/_session', { auth: hubAuth })).status, 200);
    assert.equal((await https('GET', '/content', { auth: hubAuth })).status, 200);
    assert.equal((await https('GET', '/submissions-proxy-02', { auth: hubAuth })).status, 200);
    // Administrators have everything on the loopback listener.
    const all = await new Promise<Answer>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: adminPort, path: '/_all_dbs', headers: { authorization: basic(central.admin) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(all.status, 200);
    assert.ok((JSON.parse(all.body.toString()) as string[]).includes('submissions-proxy-01'));
  });

  it('gzips JSON when asked, never a media Range answer, which has the exact bytes', async () => {
    const auth = hubs['proxy-02']!;
    await publishAnnouncements(central, 'gzip', 20, { all: true });
    const zipped = await https('GET', '/content/_all_docs?include_docs=true', { auth, headers: { 'accept-encoding': 'gzip', accept: 'application/json' } });
    assert.equal(zipped.status, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    const json = JSON.parse(gunzipSync(zipped.body).toString()) as { rows: unknown[] };
    assert.ok(json.rows.length >= 20);
    const plain = await https('GET', '/content/_all_docs?include_docs=true', { auth, headers: { accept: 'application/json' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(zipped.body.length < plain.body.length / 2, `gzip'd ${zipped.body.length} of ${plain.body.length}`);
    // A text media (the type CouchDB would compress by default): Range through the proxy.
    const bytes = Buffer.from(randomBytes(60_000).toString('base64'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const doc = {
      _id: `media:${sha256}`,
      type: 'media',
      sha256,
      size: bytes.length,
      mime: 'text/plain',
      filename: 'notes.txt',
      priority: 1,
      _attachments: { file: { content_type: 'text/plain', data: bytes.toString('base64') } },
    };
    const put = await https('PUT', `/media/media:${sha256}`, {
      auth: central.editor,
      body: JSON.stringify(doc),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(put.status, 201, put.body.toString());
    const part = await https('GET', `/media/media:${sha256}/file`, { auth, headers: { range: 'bytes=1000-41959', 'accept-encoding': 'gzip' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-encoding'], undefined);
    assert.equal(part.headers['content-range'], `bytes 1000-41959/${bytes.length}`);
    assert.ok(part.body.equals(bytes.subarray(1000, 41960)));
  });

  it("serves central's console under /console/, gzip'd", async () => {
    const page = await https('GET', '/console/login', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.equal(page.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(page.body).toString(), /<form/);
  });

  it("runs administrators' commands through the loopback listener, and says where to go on the public one", async () => {
    const env = {
      ESPACE_CENTRAL_ADMIN_USER: central.admin.username,
      ESPACE_CENTRAL_ADMIN_PASSWORD: central.admin.password,
      NODE_EXTRA_CA_CERTS: join(dir.path, 'ca.pem'),
    };
    const enrolled = await runCli(
      ['central', 'enroll', '--hub', 'proxy-03', '--url', `http://127.0.0.1:${adminPort}`, '--hub-url', `https://localhost:${port}`],
      { env },
    );
    assert.equal(enrolled.code, 0, enrolled.stderr);
    assert.match(enrolled.stdout, new RegExp(`url: https://localhost:${port}\n  username: hub-proxy-03`));
    const password = /password: (\S+)/.exec(enrolled.stdout)![1]!;
    assert.equal((await https('GET', '/submissions-proxy-03', { auth: { username: 'hub-proxy-03', password } })).status, 200);
    const setup = await runCli(['central', 'setup', '--url', `https://localhost:${port}`], { env });
    assert.notEqual(setup.code, 0);
    assert.match(setup.stderr, /central refused to let us .*on the loopback listener 127\.0\.0\.1:\d+ \(ssh -L\)/);
  });

  it('answers 413 to a body over the limit, before reading it', async () => {
    const sizes: [string, number][] = [
      ['/submissions-proxy-02/_bulk_docs', 5 * 1024 * 1024],
      [`/media/media:${'0'.repeat(64)}/file`, 9 * 1024 * 1024],
    ];
    for (const [path, length] of sizes) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            servername: 'localhost',
            port,
            path,
            method: path.endsWith('file') ? 'PUT' : 'POST',
            ca: caPem,
            agent: false,
            headers: { authorization: basic(hubs['proxy-02']!), 'content-type': 'application/json', 'content-length': String(length) },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write('{');
      });
      assert.equal(status, 413, path);
    }
    // Under the limit it reaches CouchDB.
    const ok = await https('POST', '/submissions-proxy-02/_bulk_docs', {
      auth: hubs['proxy-02']!,
      body: JSON.stringify({ docs: [] }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(ok.status, 201);
  });

  it('answers 429 (limit_req_status) to a burst beyond the rate limit', async () => {
    const auth = hubs['proxy-02']!;
    // 10 r/s with a burst of 60 per account: even if the 240 TLS handshakes took 8 s on a loaded
    // machine, at most 140 would pass.
    const answers = await Promise.all(Array.from({ length: 240 }, () => https('GET', '/content', { auth })));
    const counts = new Map<number, number>();
    for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
    assert.ok((counts.get(429) ?? 0) >= 40, `statuses: ${JSON.stringify([...counts])}`);
    assert.ok((counts.get(200) ?? 0) >= 30, `statuses: ${JSON.stringify([...counts])}`);
    assert.deepEqual(
      [...counts.keys()].filter((s) => s !== 200 && s !== 429),
      [],
    );
    // Another hub is not slowed by it.
    assert.equal((await https('GET', '/content', { auth: hubs['proxy-01']! })).status, 200);
  });
});
