import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { pouchConstructor } from '../../../../hub/storage/index.js';

const require = createRequire(import.meta.url);
const loaded = (name: string) => Object.keys(require.cache).some((path) => path.includes(`/node_modules/${name}/`));

/**
 * PouchDB's cookie jar (fetch-cookie, tough-cookie, the public suffix list) loads at its first
 * HTTP request, not with the hub's storage (hub/storage/databases.ts): and then it keeps the
 * server's cookies as before, a CouchDB session for one.
 */
describe('PouchDB over HTTP, its cookie jar loaded when first used', () => {
  it('is not loaded with storage, and keeps the cookies a server sets', async () => {
    assert.equal(loaded('tough-cookie'), false, 'tough-cookie not loaded by opening storage');
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'AuthSession=abc; Path=/' });
      res.end(JSON.stringify({ db_name: 'db', doc_count: 0, update_seq: 0 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as { port: number };
      const PouchDB = pouchConstructor();
      const remote = new PouchDB(`http://127.0.0.1:${port}/db`);
      assert.equal((await remote.info()).db_name, 'db');
      await remote.info();
      assert.ok(loaded('tough-cookie'), 'loaded by the first request');
      assert.ok(seen.length >= 2);
      assert.equal(seen[0]!.cookie, undefined);
      assert.equal(seen.at(-1)!.cookie, 'AuthSession=abc', 'the cookie set by the server is sent back');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
