import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ByteMeter, createTransport, type FetchLike } from '../../../hub/sync/index.js';
import { withBulkGet } from '../../../hub/sync/bulk-get.js';
import { pouchConstructor } from '../../../hub/storage/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { tempDir } from '../../support/hub.js';
import { startProxy, type ShapingProxy } from '../../support/proxy.js';
import { publishAnnouncements } from '../../support/sync-fixtures.js';

const transport = () => createTransport(new ByteMeter(1e9, Date.now), { timeoutMs: 10_000, userAgent: 'espace-test' });

describe('the uplink reused after a failure', () => {
  it('a request on a kept-alive socket the server has dropped is sent again on a fresh one', async () => {
    // Answers the first request of each connection and drops the connection at the second:
    // what a server that closed an idle socket looks like when the FIN is still on its way.
    let connections = 0;
    const server: Server = createServer((sock) => {
      connections += 1;
      let requests = 0;
      sock.on('data', (chunk) => {
        if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
        requests += 1;
        if (requests === 1) sock.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else sock.destroy();
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    const t = transport();
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/x`;
      assert.equal(await (await t.fetch(url)).text(), 'ok');
      assert.equal(await (await t.fetch(url)).text(), 'ok');
      assert.equal(connections, 2, 'the second request went out again on a new connection');
      // A fresh socket that fails is not retried: that is a real failure of the link.
      const dead = createServer((sock) => sock.destroy());
      await new Promise<void>((ok) => dead.listen(0, '127.0.0.1', () => ok()));
      await assert.rejects(t.fetch(`http://127.0.0.1:${(dead.address() as { port: number }).port}/`), /fetch failed/);
      await new Promise<void>((ok) => dead.close(() => ok()));
    } finally {
      t.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  describe('content pulled after a failed _bulk_get', () => {
    let central: TestCentral;
    const proxies: ShapingProxy[] = [];
    const dirs: { remove(): void }[] = [];
    let creds: { username: string; password: string };

    before(async () => {
      central = await startTestCentral();
      await publishAnnouncements(central, 'reprise', 30, { all: true });
      creds = await central.enroll('reuse-01');
    });
    after(async () => {
      for (const p of proxies) await p.stop();
      await central.stop();
      for (const d of dirs) d.remove();
    });

    /** Pulls central's content through a fresh proxy after one _bulk_get failed on it; returns the requests sent. */
    async function pullAfterAFailure(wrap: boolean): Promise<string[]> {
      const proxy = await startProxy({ port: central.port });
      proxies.push(proxy);
      const sent: string[] = [];
      const t = transport();
      const recording: FetchLike = (input, init) => {
        sent.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : input).pathname}`);
        return t.fetch(input, init);
      };
      const PouchDB = pouchConstructor();
      const url = `${proxy.url}/content`;
      const plain = new PouchDB(url, { fetch: recording, auth: creds, skip_setup: true });
      const remote = wrap ? withBulkGet(plain, url, recording, `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`) : plain;
      const dir = tempDir('espace-reuse-');
      dirs.push(dir);
      const local = new PouchDB(dir.path + '/content');
      try {
        await proxy.setUplink(false);
        // PouchDB's own bulkGet swallows the failure into per-doc errors; ours rejects: either way it failed.
        await remote.bulkGet({ docs: [{ id: 'announcement:reprise-0' }] }).catch(() => undefined);
        await proxy.setUplink(true);
        sent.length = 0;
        const res = await PouchDB.replicate(remote, local, { batch_size: 100 });
        assert.ok(res.docs_written >= 30, `${res.docs_written} docs pulled`);
        return sent;
      } finally {
        await local.close();
        t.close();
      }
    }

    it('PouchDB alone falls back to one GET per document for the rest of the process (why the sync wraps it)', async () => {
      const sent = await pullAfterAFailure(false);
      assert.ok(sent.filter((s) => s.startsWith('GET /content/announcement')).length >= 30, sent.join('\n'));
    });

    it("the sync's remote keeps asking _bulk_get: one request for the batch, not one per document", async () => {
      const sent = await pullAfterAFailure(true);
      assert.equal(sent.filter((s) => s === 'POST /content/_bulk_get').length, 1, sent.join('\n'));
      assert.equal(sent.filter((s) => s.startsWith('GET /content/announcement')).length, 0, sent.join('\n'));
    });
  });
});
