import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { couch } from '../../../../provisioning/central/couch.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { runCli } from '../../../support/cli.js';
import { startTestConsole, type TestConsole } from '../../../support/console.js';
import { spawnHub, tempDir, type HubProcess } from '../../../support/hub.js';
import { publishAnnouncements, publishMedia } from '../../../support/sync-fixtures.js';
import { startCentralNginx, type CentralNginx } from '../../../support/central-nginx.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const basic = (u: { username: string; password: string }) => 'Basic ' + Buffer.from(`${u.username}:${u.password}`).toString('base64');

describe('espace central render: nginx in front of central', () => {
  let central: TestCentral;
  let consoleServer: TestConsole;
  let proxy: CentralNginx;
  let hub: HubProcess | undefined;
  let port: number;
  let adminPort: number;
  let caPem: string;
  const hubs: Record<string, { username: string; password: string }> = {};

  const https = (
    method: string,
    path: string,
    opts: { auth?: { username: string; password: string }; headers?: Record<string, string>; body?: Buffer | string } = {}
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
        }
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
    proxy = await startCentralNginx(central, { consolePort: Number(new URL(consoleServer.url).port) });
    ({ port, adminPort, caPem } = proxy);
  });

  after(async () => {
    await hub?.stop();
    await proxy?.stop();
    await consoleServer.stop();
    await central.stop();
  });

  it('passes nginx -t, then runs on loopback in front of the stand-in', () => {
    assert.equal(proxy.check.status, 0, proxy.check.stderr);
    assert.match(proxy.check.stderr, /test is successful/);
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
      NODE_EXTRA_CA_CERTS: join(proxy.dir, 'ca.pem'),
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
    const log = readFileSync(join(proxy.dir, 'access.log'), 'utf8');
    assert.match(log, /GET \/_session/);
    assert.match(log, /\/submissions-proxy-01\/_bulk_docs|\/submissions-proxy-01\/_revs_diff/);
    // The announcement's image came by ranged download through nginx, whole.
    const media = await fetch(`${hub.url}/media/${image!.sha256}`);
    assert.equal(media.status, 200);
    assert.equal(
      createHash('sha256')
        .update(Buffer.from(await media.arrayBuffer()))
        .digest('hex'),
      image!.sha256
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
      NODE_EXTRA_CA_CERTS: join(proxy.dir, 'ca.pem'),
    };
    const enrolled = await runCli(
      ['central', 'enroll', '--hub', 'proxy-03', '--url', `http://127.0.0.1:${adminPort}`, '--hub-url', `https://localhost:${port}`],
      { env }
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
          }
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
      []
    );
    // Another hub is not slowed by it.
    assert.equal((await https('GET', '/content', { auth: hubs['proxy-01']! })).status, 200);
  });
});
