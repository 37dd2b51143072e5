import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../../hub/config/index.js';
import { kioskPagesHandler } from '../../../kiosk/pages.js';

const dir = join(projectRoot(), 'kiosk', 'pages');

describe('kiosk pages handler', () => {
  let status = 200;
  let server: Server;
  let hubUrl: string;

  before(async () => {
    // A loopback stand-in for the hub's /health, answering whatever status the test sets.
    server = createServer((req, res) => {
      res.writeHead(req.url === '/health' ? status : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const handler = () => kioskPagesHandler({ dir, hubUrl, startUrl: `${hubUrl}/kiosk`, retrySeconds: 7, healthTimeoutMs: 1000 });

  it('serves only its own files, with their type and the CSP', async () => {
    const h = handler();
    for (const [name, type] of [
      ['offline.html', 'text/html'],
      ['offline.css', 'text/css'],
      ['offline.js', 'text/javascript'],
      ['technician.html', 'text/html'],
      ['blank.html', 'text/html'],
    ]) {
      const res = await h(new Request(`espace-kiosk://app/${name}`));
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get('content-type') ?? '', new RegExp(`^${type}`), name);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/, name);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
    for (const name of ['', 'wake-overlay.js', 'page-reset.js', '..%2Fmain.ts', '../main.ts', 'OFFLINE.HTML', 'offline.html/x']) {
      assert.equal((await h(new Request(`espace-kiosk://app/${name}`))).status, 404, name);
    }
    assert.equal((await h(new Request('espace-kiosk://app/offline.html', { method: 'POST', body: 'x' }))).status, 405);
    const head = await h(new Request('espace-kiosk://app/offline.html', { method: 'HEAD' }));
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('tells the offline page whether the hub answers: 2xx yes, 503 or no answer no', async () => {
    const h = handler();
    const ask = async () =>
      (await h(new Request('espace-kiosk://app/hub.json'))).json() as Promise<{ reachable: boolean; startUrl: string; retrySeconds: number }>;
    status = 200;
    assert.deepEqual(await ask(), { reachable: true, startUrl: `${hubUrl}/kiosk`, retrySeconds: 7 });
    status = 503;
    assert.equal((await ask()).reachable, false, 'a degraded hub is not ready for visitors');
    const down = kioskPagesHandler({ dir, hubUrl: 'http://127.0.0.1:9', startUrl: 'http://127.0.0.1:9/kiosk', retrySeconds: 7, healthTimeoutMs: 500 });
    const res = await down(new Request('espace-kiosk://app/hub.json'));
    assert.equal(((await res.json()) as { reachable: boolean }).reachable, false);
  });
});
