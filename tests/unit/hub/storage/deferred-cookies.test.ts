import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { closeDatabases, openDatabases, pouchConstructor } from '../../../../hub/storage/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { tempDir } from '../../../support/hub.js';

const require = createRequire(import.meta.url);
const loaded = (name: string) => Object.keys(require.cache).some((path) => path.includes(`/node_modules/${name}/`));

/**
 * PouchDB's cookie jar (fetch-cookie, tough-cookie, the public suffix list) loads at its first
 * HTTP request, not with the hub's storage (hub/storage/databases.ts): and then it keeps the
 * server's cookies as before, a CouchDB session for one.
 */
describe('PouchDB over HTTP, its cookie jar loaded when first used', () => {
  it('opening storage loads neither the HTTP fetch nor level, and a new db still gets its id', async () => {
    // Each stand-in sits in the cache at the module's path: what its real self loads tells.
    for (const name of ['whatwg-url', 'level-packager', 'tough-cookie', 'end-stream'])
      assert.equal(loaded(name), false, `${name} not loaded by opening storage`);
    const dir = tempDir();
    try {
      const dbs = await openDatabases(dir.path, silentLogger(), ['content']);
      await dbs.content.put({ _id: 'a', n: 1 });
      assert.equal((await dbs.content.get('a')).n, 1);
      assert.match((await dbs.content.info()).db_name, /content$/);
      // A fresh db has its own id, a random UUID as uuid.v4 makes (replication checkpoints use it).
      const id = await (dbs.content as unknown as { id(): Promise<string> }).id();
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      await closeDatabases(dbs);
    } finally {
      dir.remove();
    }
    assert.equal(loaded('whatwg-url'), false, "PouchDB's HTTP fetch still not loaded by local reads and writes");
    assert.equal(loaded('through2/node_modules/readable-stream'), false, 'the streams of changes feeds and allDocs not loaded by opening, put, get and info');
    assert.equal(
      Object.keys(require.cache).some((path) => path.includes('/node_modules/uuid/dist/v4')),
      false,
      'uuid not loaded for the ids PouchDB asks without arguments'
    );
  });

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

  it("loads levelup's read streams only for levelup's createReadStream, which PouchDB does not use", async () => {
    const iteratorStreams = () => Object.keys(require.cache).some((path) => path.includes('/level-iterator-stream/node_modules/'));
    const dir = tempDir();
    try {
      const dbs = await openDatabases(dir.path, silentLogger(), ['content']);
      await dbs.content.bulkDocs([{ _id: 'a' }, { _id: 'b' }]);
      assert.equal((await dbs.content.allDocs()).rows.length, 2);
      assert.equal((await dbs.content.changes({ since: 0 })).results.length, 2);
      await closeDatabases(dbs);
      assert.ok(loaded('through2/node_modules/readable-stream'), 'through2 loaded by the first changes feed or allDocs, which then work');
      assert.equal(iteratorStreams(), false, 'not loaded by opening, writing, allDocs and changes');
      // levelup as PouchDB resolves it: its read stream is the real one, built at first use.
      const fromPouch = createRequire(require.resolve('pouchdb'));
      type Db = { put(k: string, v: string): Promise<void>; close(): Promise<void>; createReadStream(): AsyncIterable<{ key: Buffer; value: Buffer }> };
      const levelup = fromPouch('levelup') as (down: unknown) => Db;
      const leveldown = fromPouch('leveldown') as (path: string) => unknown;
      const db = levelup(leveldown(`${dir.path}/plain`));
      await db.put('k1', 'v1');
      await db.put('k2', 'v2');
      const entries: { key: Buffer; value: Buffer }[] = [];
      for await (const entry of db.createReadStream()) entries.push(entry);
      assert.deepEqual(
        entries.map((e) => `${String(e.key)}=${String(e.value)}`),
        ['k1=v1', 'k2=v2']
      );
      assert.ok(iteratorStreams(), 'loaded by the first read stream');
      await db.close();
    } finally {
      dir.remove();
    }
  });
});
