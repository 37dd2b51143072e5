import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Database, type Databases } from '../../../../hub/storage/index.js';
import { GroupCommit, type Doc } from '../../../../hub/submissions/group-commit.js';
import { tempDir } from '../../../support/hub.js';

/** Counts the batches PouchDB is asked to write (each one LevelDB batch, one fsync), and their sizes. */
function batchesOf(db: Database): number[] {
  const sizes: number[] = [];
  const bulkDocs = db.bulkDocs.bind(db);
  db.bulkDocs = ((docs: Doc[], ...rest: unknown[]) => {
    sizes.push(docs.length);
    return (bulkDocs as (...a: unknown[]) => unknown)(docs, ...rest);
  }) as typeof db.bulkDocs;
  return sizes;
}

const doc = (id: string, extra: Record<string, unknown> = {}): Doc => ({ _id: id, type: 'test', ...extra });

describe('group commit of submissions', () => {
  let dir: ReturnType<typeof tempDir>;
  let dbs: Databases;
  let db: Database;
  let batches: number[];
  before(async () => {
    dir = tempDir('espace-group-commit-');
    dbs = await openDatabases(dir.path, silentLogger());
    db = dbs.submissions;
    batches = batchesOf(db);
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('writes what arrives together in one batch and acknowledges each write with its own result', async () => {
    const writer = new GroupCommit(db);
    batches.length = 0;
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => writer.write([doc(`together-${i}`)])));
    assert.deepEqual(batches, [120]);
    results.forEach((r, i) => {
      assert.equal(r.length, 1);
      assert.deepEqual({ ok: (r[0] as PouchDB.Core.Response).ok, id: r[0]!.id }, { ok: true, id: `together-${i}` });
    });
    const found = await db.allDocs({ keys: results.map((r) => r[0]!.id!) });
    assert.ok(
      found.rows.every((row) => 'value' in row && !row.value.deleted),
      'every acknowledged doc is stored'
    );
  });

  it('gathers the writes that arrive while a batch is on its way to disk into the next one', async () => {
    const writer = new GroupCommit(db);
    batches.length = 0;
    const first = writer.write([doc('alone')]);
    // The first batch has left (it starts on the next turn of the event loop); these wait for it.
    await new Promise((r) => setImmediate(r));
    const later = Array.from({ length: 50 }, (_, i) => writer.write([doc(`later-${i}`)]));
    await Promise.all([first, ...later]);
    assert.deepEqual(batches, [1, 50]);
    await writer.settled();
  });

  it('splits a burst larger than one batch may hold, never splitting one caller’s docs', async () => {
    const writer = new GroupCommit(db);
    batches.length = 0;
    const writes = Array.from({ length: 300 }, (_, i) => writer.write([doc(`_local/marker-${i}`), doc(`pair-${i}`)]));
    const results = await Promise.all(writes);
    assert.equal(
      batches.reduce((a, b) => a + b, 0),
      600
    );
    assert.ok(batches.length >= 3 && batches.every((n) => n % 2 === 0 && n <= 256), `batches of whole pairs, at most 256 docs: ${batches.join(', ')}`);
    assert.ok(results.every((r) => r.length === 2 && r.every((x) => 'ok' in x && x.ok)));
    assert.equal(((await db.get('_local/marker-299')) as unknown as { _id: string })._id, '_local/marker-299');
  });

  it('keeps voice messages to a few per batch, so a burst of them is never in memory at once', async () => {
    const writer = new GroupCommit(db);
    batches.length = 0;
    const voice = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    const writes = Array.from({ length: 6 }, (_, i) =>
      writer.write([doc(`voice-${i}`, { _attachments: { 'voice.ogg': { content_type: 'audio/ogg', data: voice } } })])
    );
    assert.ok((await Promise.all(writes)).every((r) => 'ok' in r[0]! && r[0].ok));
    assert.deepEqual(batches, [2, 2, 2], 'two 4 MB recordings per batch');
  });

  it('fails a conflicting doc alone: the others of its batch land', async () => {
    const writer = new GroupCommit(db);
    await db.put(doc('taken'));
    batches.length = 0;
    const [a, clash, b] = await Promise.all([
      writer.write([doc('neighbour-a')]),
      writer.write([doc('taken', { again: true })]),
      writer.write([doc('neighbour-b')]),
    ]);
    assert.deepEqual(batches, [3]);
    assert.equal((clash[0] as PouchDB.Core.Error).status, 409);
    assert.equal((a[0] as PouchDB.Core.Response).ok, true);
    assert.equal((b[0] as PouchDB.Core.Response).ok, true);
    assert.equal(((await db.get('taken')) as Record<string, unknown>).again, undefined, 'the stored doc is unchanged');
    await db.get('neighbour-a');
    await db.get('neighbour-b');
  });

  it('when PouchDB refuses a whole batch for one doc, only that caller fails', async () => {
    const writer = new GroupCommit(db);
    batches.length = 0;
    const outcomes = await Promise.allSettled([writer.write([doc('fine-1')]), writer.write([doc('_reserved-id')]), writer.write([doc('fine-2')])]);
    assert.equal(outcomes[0].status, 'fulfilled');
    assert.equal(outcomes[2].status, 'fulfilled');
    assert.equal(outcomes[1].status, 'rejected');
    assert.match(String(outcomes[1].reason?.message), /underscore|reserved/i);
    assert.deepEqual(batches, [3, 1, 1, 1], 'the batch is refused, then each caller is written alone');
    await db.get('fine-1');
    await db.get('fine-2');
  });
});
