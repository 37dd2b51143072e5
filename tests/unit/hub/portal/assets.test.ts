import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { answerSender } from '../../../../hub/http/index.js';
import { StaticAssets } from '../../../../hub/portal/index.js';

interface Got {
  status: number;
  coding: string | undefined;
  etag: string | undefined;
  body: Buffer;
}

function get(port: number, path: string, acceptEncoding: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const coding = res.headers['content-encoding'];
        assert.equal(res.headers['content-length'], String(raw.length));
        const body = coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, coding, etag: res.headers.etag, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('static files, compressed in the background', () => {
  const assets = new StaticAssets();
  const errors: unknown[] = [];
  const log = { error: (obj: object) => errors.push(obj) };
  const send = answerSender();
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((req, res) => {
      const a = assets.answer(req.url ?? '/', log);
      if (!a) return void res.writeHead(404).end();
      send(req, res, a);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the right bytes before the copies are made, then compressed', async () => {
    const css = assets.url('portal.css');
    const file = assets.byAddress(css)!.body;
    // Nothing asked yet: no copy made.
    assert.equal(assets.byAddress(css)!.compress!('br'), undefined);
    const first = await get(port, css, 'gzip, deflate, br');
    assert.equal(first.status, 200);
    assert.ok(first.body.equals(file), 'the file itself');
    await assets.compressed();
    for (const [accept, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['identity', undefined],
    ] as const) {
      const later = await get(port, css, accept);
      assert.equal(later.coding, coding, accept);
      assert.ok(later.body.equals(file), `${accept}: the same bytes once decoded`);
      assert.equal(later.etag, first.etag);
    }
    // The service worker (its asset list baked in) too.
    const sw = await get(port, '/sw.js', 'br');
    assert.equal(sw.coding, 'br');
    assert.ok(sw.body.equals(assets.serviceWorker().body));
    assert.deepEqual(errors, []);
  });
});
