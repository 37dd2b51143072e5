import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { closeAhead, closeDatabases, openDatabases, peekDatabase } from '../../../../hub/storage/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { tempDir } from '../../../support/hub.js';

const INTENT = '_local/pack-import';

/** What PouchDB itself says of the content db, and what the peek reads from LevelDB, after `write` and a close. */
async function both(write: (db: PouchDB.Database<Record<string, unknown>>) => Promise<void>) {
  const dir = tempDir();
  try {
    const dbs = await openDatabases(dir.path, silentLogger(), ['content']);
    await write(dbs.content);
    const info = await dbs.content.info();
    const local = await dbs.content.get(INTENT).then(
      () => true,
      () => false
    );
    await closeDatabases(dbs);
    const peek = await peekDatabase(dir.path, 'content', [INTENT, '_local/other']);
    // PouchDB takes the db the peek opened, and reads and writes it as before.
    const again = await openDatabases(dir.path, silentLogger(), ['content']);
    const reopened = await again.content.info();
    await again.content.put({ _id: 'after-peek' });
    const afterWrite = (await again.content.info()).update_seq;
    await closeDatabases(again);
    return { info, local, peek, reopened, afterWrite };
  } finally {
    dir.remove();
  }
}

describe('peekDatabase: what db.info() says, read from LevelDB before PouchDB', () => {
  it('no database there: null, and nothing is created', async () => {
    const dir = tempDir();
    try {
      assert.equal(await peekDatabase(dir.path, 'content', [INTENT]), null);
      const { readdirSync } = await import('node:fs');
      assert.deepEqual(readdirSync(dir.path), []);
    } finally {
      dir.remove();
    }
  });

  it('update sequence, doc count and local docs as PouchDB has them; PouchDB then opens the same db', async () => {
    const { info, local, peek, reopened, afterWrite } = await both(async (db) => {
      await db.bulkDocs([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }]);
      const b = await db.get('b');
      await db.remove(b);
      await db.put({ ...(await db.get('a')), n: 2 });
      await db.put({ _id: INTENT, plan: [] });
    });
    assert.ok(peek);
    assert.equal(peek.updateSeq, info.update_seq);
    assert.equal(peek.docCount, info.doc_count);
    assert.equal(info.doc_count, 2);
    assert.equal(local, true);
    assert.deepEqual([...peek.locals], [INTENT]);
    assert.equal(reopened.update_seq, info.update_seq);
    assert.equal(reopened.doc_count, info.doc_count);
    assert.equal(afterWrite, Number(info.update_seq) + 1);
  });

  it('an empty db PouchDB made: sequence 0, no docs', async () => {
    const { info, peek } = await both(async () => undefined);
    assert.ok(peek);
    assert.equal(info.update_seq, 0);
    assert.equal(peek.updateSeq, 0);
    assert.equal(peek.docCount, 0);
    assert.equal(peek.locals.size, 0);
  });

  it('any series of writes: the peek equals db.info()', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('local' as const), id: fc.constantFrom(INTENT, '_local/x') })
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const { info, local, peek } = await both(async (db) => {
          for (const o of ops) {
            if (o.kind === 'local') {
              // A local doc written, or removed when there (an import's plan comes and goes).
              const had = await db.get(o.id).catch(() => null);
              if (had) await db.remove(had);
              else await db.put({ _id: o.id });
            } else {
              const id = `doc-${o.id}`;
              const had = await db.get(id).catch(() => null);
              if (o.kind === 'put') await db.put(had ? { ...had, n: Math.random() } : { _id: id });
              else if (had) await db.remove(had);
            }
          }
        });
        assert.ok(peek);
        assert.equal(peek.updateSeq, info.update_seq);
        assert.equal(peek.docCount, info.doc_count);
        assert.equal(peek.locals.has(INTENT), local);
      }),
      { numRuns: 15 }
    );
  });

  it('a peeked db PouchDB never took is closed by closeAhead, and opens again', async () => {
    const dir = tempDir();
    try {
      const dbs = await openDatabases(dir.path, silentLogger(), ['content']);
      await dbs.content.put({ _id: 'x' });
      await closeDatabases(dbs);
      assert.ok(await peekDatabase(dir.path, 'content', []));
      await closeAhead();
      // Its LevelDB lock is free: a peek of its own opens it again.
      const peek = await peekDatabase(dir.path, 'content', []);
      assert.equal(peek?.docCount, 1);
      await closeAhead();
    } finally {
      dir.remove();
    }
  });
});
