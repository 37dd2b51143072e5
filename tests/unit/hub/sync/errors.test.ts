import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { AppError } from '../../../../content/index.js';
import { pouchConstructor } from '../../../../hub/storage/index.js';
import { ByteMeter, classify, createTransport, SyncError } from '../../../../hub/sync/index.js';
import { tempDir } from '../../../support/hub.js';
import { budgetReached, fromCentralStatus, notConfigured, outsideWindow, refusedByCentral } from '../../../../hub/sync/errors.js';

describe('SyncError and its classification', () => {
  it("carries its kind, central's status and the technician's sentence, and is classified by them", () => {
    const e = fromCentralStatus(503, 'overloaded');
    assert.ok(e instanceof SyncError && e instanceof AppError);
    assert.equal(e.kind, 'central-error');
    assert.equal(e.centralStatus, 503);
    assert.equal(e.reason, 'central-error');
    assert.deepEqual(classify(e), { kind: 'central-error', message: 'central answered with an error (HTTP 503); it will be tried again', transient: true });
    assert.equal(classify(fromCentralStatus(401, undefined)).kind, 'credentials-refused');
    assert.equal(
      classify(fromCentralStatus(403, 'hub "x" may only write its own documents')).message,
      'central refused a write: hub "x" may only write its own documents; check that the hub id matches its enrollment'
    );
    assert.equal(classify(fromCentralStatus(404, 'missing')).kind, 'central-error');
    assert.equal(notConfigured().centralStatus, null);
    assert.equal(classify(notConfigured()).transient, false);
    assert.equal(classify(outsideWindow([{ from: '22:00', to: '05:00' }])).message, 'outside the window: sync runs only 22:00–05:00');
    assert.equal(classify(refusedByCentral(['a', 'b'], '')).kind, 'refused-by-central');
    assert.equal(classify(budgetReached(5e6)).message, "budget reached: today's 5.0 MB of data are spent; sync resumes tomorrow");
  });

  it('never reads the wording: a SyncError whose message looks like a network error keeps its kind', () => {
    const e = new SyncError('central-error', 'sync failed: ECONNREFUSED fetch failed socket hang up', { centralStatus: 500 });
    assert.equal(classify(e).kind, 'central-error');
    // And an error that only *says* it is a network failure, without a code, is not taken for one.
    assert.equal(classify(new Error('ECONNREFUSED socket hang up')).kind, 'central-error');
    assert.match(classify(new Error('ECONNREFUSED socket hang up')).message, /^sync failed: /);
  });

  it('is found wrapped in the causes PouchDB and fetch add', () => {
    const inner = budgetReached(1e6);
    const wrapped = Object.assign(new TypeError('fetch failed'), { cause: inner });
    assert.equal(classify(Object.assign(new Error('replication failed'), { cause: wrapped })).kind, 'budget-reached');
  });

  it('sorts a real refused connection by its code', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const err = await fetch(`http://127.0.0.1:${port}/`).then(
      () => null,
      (e: unknown) => e
    );
    const f = classify(err);
    assert.equal(f.kind, 'central-unreachable');
    assert.equal(f.message, 'central unreachable: ECONNREFUSED; the uplink may be down, it will be tried again');
    assert.equal(f.transient, true);
  });

  it('tells a cut gzip answer (the link) from a body that is not gzip at all (not CouchDB)', () => {
    let truncated: unknown;
    let garbage: unknown;
    try {
      gunzipSync(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    } catch (e) {
      truncated = e;
    }
    try {
      gunzipSync(Buffer.from('<html>login</html>'));
    } catch (e) {
      garbage = e;
    }
    assert.equal(classify(truncated).kind, 'central-unreachable');
    assert.equal(classify(garbage).kind, 'central-error');
    assert.match(classify(garbage).message, /not CouchDB/);
    assert.equal(classify({ name: 'AbortError' }).kind, 'central-unreachable');
    assert.equal(classify({ status: 0, name: 'unknown_error' }).kind, 'central-unreachable');
  });

  it('keeps its kind when PouchDB re-creates it as its own error: a captive page answering as JSON', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>Votre forfait est épuisé</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const transport = createTransport(new ByteMeter(1e6, Date.now), { timeoutMs: 5000, userAgent: 'test' });
    try {
      const PouchDB = pouchConstructor();
      const remote = new PouchDB(`http://127.0.0.1:${port}/content`, {
        fetch: transport.fetch,
        skip_setup: true,
      });
      const dir = tempDir('espace-syncerror-');
      const local = new PouchDB(join(dir.path, 'content'));
      // Replication re-creates the errors of its fetches as PouchDB errors (own fields copied, class dropped).
      const err = await PouchDB.replicate(remote, local, { retry: false }).then(
        () => null,
        (e: unknown) => e
      );
      await local.close();
      dir.remove();
      assert.ok(err);
      const f = classify(err);
      assert.equal(f.kind, 'central-error');
      assert.match(f.message, /not CouchDB/);
    } finally {
      transport.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
