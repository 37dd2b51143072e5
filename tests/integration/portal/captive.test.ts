import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestHub, tempDir, type TestHub } from '../../support/index.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with any Host header, as a phone sends it to the captive DNS's answer. */
function get(url: string, path: string, host: string, method = 'GET'): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers: { Host: host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ONLINE: [string, string, number, string][] = [
  ['/generate_204', 'connectivitycheck.gstatic.com', 204, ''],
  ['/gen_204', 'clients3.google.com', 204, ''],
  ['/hotspot-detect.html', 'captive.apple.com', 200, '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>'],
  ['/library/test/success.html', 'www.apple.com', 200, '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>'],
  ['/connecttest.txt', 'www.msftconnecttest.com', 200, 'Microsoft Connect Test'],
  ['/ncsi.txt', 'www.msftncsi.com', 200, 'Microsoft NCSI'],
  ['/success.txt', 'detectportal.firefox.com', 200, 'success\n'],
  ['/canonical.html', 'detectportal.firefox.com', 200, '<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>'],
];

describe('captive portal', () => {
  let hub: TestHub;
  const data = tempDir();
  before(async () => {
    hub = await startTestHub({ dnsName: 'espace.home.arpa' }, data.path);
  });
  after(async () => {
    await hub.stop();
    data.remove();
  });

  it('redirects every probe to the welcome page before Entrer, whatever the Host', async () => {
    for (const [path, host] of [...ONLINE, ['/redirect', 'www.msftconnecttest.com'] as const]) {
      const res = await get(hub.url, path, host);
      assert.equal(res.status, 302, `${host}${path}`);
      assert.equal(res.headers.location, 'http://espace.home.arpa/bienvenue');
      assert.equal(res.headers['cache-control'], 'no-store');
    }
  });

  it('sends unknown hosts to the portal, but keeps the API reachable under any host', async () => {
    const page = await get(hub.url, '/some/page', 'www.google.com');
    assert.equal(page.status, 302);
    assert.equal(page.headers.location, 'http://espace.home.arpa/bienvenue');
    const api = await get(hub.url, '/api/v1/content?type=course', 'www.google.com');
    assert.equal(api.status, 200);
    assert.equal(JSON.parse(api.body.toString()).total, 0);
    const own = await get(hub.url, '/bienvenue', 'espace.home.arpa');
    assert.equal(own.status, 200);
    assert.match(own.body.toString(), /Entrer/);
  });

  it('the welcome page says there is no Internet and offers Entrer', async () => {
    const res = await get(hub.url, '/bienvenue', '127.0.0.1');
    const body = res.body.toString();
    assert.match(body, /il n&#39;y a pas Internet/);
    assert.match(body, /<form method="post" action="\/bienvenue\/entrer">/);
  });

  it('after Entrer, answers each probe with the byte-exact online answer', async () => {
    const enter = await get(hub.url, '/bienvenue/entrer', 'espace.home.arpa', 'POST');
    assert.equal(enter.status, 303);
    assert.equal(enter.headers.location, '/');
    for (const [path, host, status, body] of ONLINE) {
      const res = await get(hub.url, path, host);
      assert.equal(res.status, status, `${host}${path}`);
      assert.deepEqual(res.body, Buffer.from(body, 'utf8'), `${host}${path} body`);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
    const win = await get(hub.url, '/redirect', 'www.msftconnecttest.com');
    assert.equal(win.status, 302);
    assert.equal(win.headers.location, 'http://espace.home.arpa/');
    const unknown = await get(hub.url, '/', 'example.org');
    assert.equal(unknown.headers.location, 'http://espace.home.arpa/');
  });

  it('remembers admitted phones across a hub restart', async () => {
    await hub.close();
    hub = await startTestHub({ dnsName: 'espace.home.arpa' }, data.path);
    const res = await get(hub.url, '/generate_204', 'connectivitycheck.gstatic.com');
    assert.equal(res.status, 204);
  });
});
