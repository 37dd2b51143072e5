import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { spawnHub, tempDir } from '../../support/index.js';

/**
 * An acknowledged write is on disk: kill -9 the hub while 200 submissions are in flight,
 * then every id it answered 201 for must be in the database. These are answered on the raw
 * fast path (JSON with a Content-Length: the parity test checks that it is that path); the
 * Express route is checked below with a body it leaves to Express (another charset).
 */
describe('durability under kill -9', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  after(() => {
    for (const d of dirs) d.remove();
  });

  for (const [path, contentType] of [
    ['the fast path', 'application/json'],
    // A quoted charset: read by Express's parser, not the fast path.
    ['Express', 'application/json; charset="utf-8"'],
  ] as const)
    it(`keeps every acknowledged submission (${path})`, async () => {
      const dir = tempDir();
      dirs.push(dir);
      await killNine(dir.path, contentType);
    });

  async function killNine(dataDir: string, contentType: string): Promise<void> {
    const hub = await spawnHub(dataDir, { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '10000' });
    const acked: string[] = [];
    let killed = false;
    const send = async (i: number) => {
      try {
        const res = await fetch(`${hub.url}/api/v1/submissions/registration`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: JSON.stringify({ fullName: `Participante ${i}`, sex: i % 2 ? 'F' : 'M', ageBand: '15-24', commune: 'kayes', consent: true }),
        });
        if (res.status === 201) {
          acked.push(((await res.json()) as { id: string }).id);
          if (acked.length === 60 && !killed) {
            killed = true;
            await hub.kill9();
          }
        }
      } catch {
        // Connection reset by the kill: not acknowledged, so not expected.
      }
    };
    await Promise.all(Array.from({ length: 200 }, (_, i) => send(i)));
    if (!killed) await hub.kill9();
    assert.ok(acked.length >= 60, `at least 60 writes were acknowledged before the kill (got ${acked.length})`);

    const dbs = await openDatabases(dataDir, createLogger('silent'));
    try {
      const found = await dbs.submissions.allDocs({ keys: acked });
      const missing = found.rows.filter((r) => 'error' in r || !('value' in r)).map((r) => r.key);
      assert.deepEqual(missing, [], 'every acknowledged write survives kill -9');
    } finally {
      await closeDatabases(dbs);
    }

    // And the hub starts again on the same data.
    const again = await spawnHub(dataDir, { ESPACE_LOG_LEVEL: 'warn' });
    try {
      const health = (await (await fetch(`${again.url}/health`)).json()) as { databases: { submissions: { docs: number } } };
      assert.ok(health.databases.submissions.docs >= acked.length);
    } finally {
      await again.stop();
    }
  }
});
