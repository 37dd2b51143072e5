import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger, silentLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases } from '../../../hub/storage/index.js';
import { startHub, type RunningHub } from '../../../hub/main.js';
import { announcement } from '../../support/fixtures.js';
import { freePort, startTestHub, tempDir, testConfig } from '../../support/hub.js';

/** A data dir whose content holds 20 announcements, one about a borehole, and whose search snapshot a first start wrote. */
async function dataDirWithSnapshot(path: string): Promise<string> {
  const first = await startTestHub({}, path);
  await first.deps.dbs.content.bulkDocs([
    announcement('forage', 'Nouveau forage à Kayes', 'Le forage du quartier est ouvert.'),
    ...Array.from({ length: 19 }, (_, i) => announcement(`a-${i}`, `Annonce ${i}`, `Réunion du quartier numéro ${i}.`)),
  ]);
  // All 20 indexed, so the snapshot written at close is at the content's sequence: a start
  // then has nothing to replay (a replay opens the content db, which one test holds back).
  for (let i = 0; i < 100 && first.deps.search.search('quartier', { lang: 'fr', limit: 50 }).length < 20; i += 1) await new Promise((r) => setTimeout(r, 50));
  assert.equal(first.deps.search.search('quartier', { lang: 'fr', limit: 50 }).length, 20);
  await first.close();
  const file = join(path, 'search', 'index.bin');
  assert.ok(existsSync(file), 'the first start wrote the snapshot when it stopped');
  return file;
}

/**
 * startHub in this process with the rest of the hub (rooms.ts) held back until `release`: the
 * hub as it is between listening and everything loaded, whatever the machine's speed.
 */
function heldStart(
  dataDir: string,
  port: number,
  holdContent = false
): { atRooms: Promise<void>; release(): void; atContent: Promise<void>; releaseContent(): void; started: Promise<RunningHub> } {
  const [atRooms, release, beforeRooms] = hold();
  const [atContent, releaseContent, beforeContent] = hold();
  const config = testConfig(dataDir, { port });
  const started = startHub(config, createLogger('silent'), { beforeRooms, ...(holdContent ? { beforeContent } : {}) });
  return { atRooms, release, atContent, releaseContent, started };
}

/** A point a start stops at: reached when it gets there, passed once released. */
function hold(): [reached: Promise<void>, release: () => void, at: () => Promise<void>] {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const held = new Promise<void>((r) => (release = r));
  return [
    reached,
    release,
    () => {
      reach();
      return held;
    },
  ];
}

const ids = async (res: Response) => ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);

/**
 * The hub starts in two steps (hub/main.ts): storage and the search index, then it listens and
 * answers searches while the other rooms load; everything else waits for them. A search is
 * answered or waits, never fails nor reads an empty index; no other request is refused.
 */
describe('start-up in two steps', () => {
  it('answers searches from the snapshot while the rest loads; other requests wait, none fails', async () => {
    const dir = tempDir('espace-start-order-');
    try {
      await dataDirWithSnapshot(dir.path);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const start = heldStart(dir.path, port);
      await start.atRooms;
      // Sent while the rest is held: they wait for it.
      let answered = false;
      const health = fetch(`${url}/health`).finally(() => (answered = true));
      const list = fetch(`${url}/api/v1/content?type=announcement&limit=20`);
      const early = await fetch(`${url}/api/v1/search?q=forage`);
      assert.equal(early.status, 200);
      const earlyBody = await early.text();
      assert.deepEqual(
        (JSON.parse(earlyBody) as { items: { id: string }[] }).items.map((i) => i.id),
        ['announcement:forage'],
        'found in the snapshot before the rest loaded'
      );
      assert.equal(answered, false, 'other requests wait for the rest of the hub');
      start.release();
      const hub = await start.started;
      try {
        assert.equal((await health).status, 200);
        const listed = await list;
        assert.equal(listed.status, 200);
        assert.equal(((await listed.json()) as { items: unknown[] }).items.length, 20);
        // Once everything serves, the fast path gives the very same answer.
        const later = await fetch(`${url}/api/v1/search?q=forage`);
        assert.equal(await later.text(), earlyBody);
        assert.equal(later.headers.get('etag'), early.headers.get('etag'));
        assert.equal(later.headers.get('content-security-policy'), early.headers.get('content-security-policy'));
        // A malformed search sent early is Express's 400, as after start.
        assert.equal((await fetch(`${url}/api/v1/search?q=`)).status, 400);
      } finally {
        await hub.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('answers searches from a current snapshot before PouchDB has opened the content db', async () => {
    const dir = tempDir('espace-start-order-');
    try {
      await dataDirWithSnapshot(dir.path);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const start = heldStart(dir.path, port, true);
      await start.atContent;
      // The content db is still PouchDB-less (LevelDB's sequence said the snapshot is current).
      assert.deepEqual(await ids(await fetch(`${url}/api/v1/search?q=forage`)), ['announcement:forage']);
      start.releaseContent();
      await start.atRooms;
      start.release();
      const hub = await start.started;
      try {
        // PouchDB took the db the start read: writes go on, and the catalog's feed reaches the index.
        await hub.deps.dbs.content.put(announcement('puits', 'Nouveau puits à Nioro', 'Le puits est ouvert.'));
        let found: string[] = [];
        for (let i = 0; i < 100 && found.length === 0; i += 1) {
          found = await ids(await fetch(`${url}/api/v1/search?q=puits`));
          if (found.length === 0) await new Promise((r) => setTimeout(r, 50));
        }
        assert.deepEqual(found, ['announcement:puits']);
      } finally {
        await hub.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('replays changes made after the snapshot was written, before answering', async () => {
    const dir = tempDir('espace-start-order-');
    try {
      await dataDirWithSnapshot(dir.path);
      // Written by another start that stopped before writing its snapshot (a power cut).
      const dbs = await openDatabases(dir.path, silentLogger(), ['content']);
      await dbs.content.put(announcement('puits', 'Nouveau puits à Nioro', 'Le puits est ouvert.'));
      await closeDatabases(dbs);
      const port = await freePort();
      const start = heldStart(dir.path, port);
      await start.atRooms;
      assert.deepEqual(await ids(await fetch(`http://127.0.0.1:${port}/api/v1/search?q=puits`)), ['announcement:puits']);
      start.release();
      await (await start.started).close();
    } finally {
      dir.remove();
    }
  });

  for (const [what, spoil] of [
    ['missing', (file: string) => rmSync(file)],
    ['damaged', (file: string) => writeFileSync(file, 'ESPX not a snapshot at all')],
  ] as const) {
    it(`rebuilds the index when the snapshot is ${what}: a search sent meanwhile waits for it`, async () => {
      const dir = tempDir('espace-start-order-');
      try {
        spoil(await dataDirWithSnapshot(dir.path));
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const start = heldStart(dir.path, port);
        await start.atRooms;
        // The rebuild is not waited for before the rest loads: the search waits for the index itself.
        assert.deepEqual(await ids(await fetch(`${url}/api/v1/search?q=forage`)), ['announcement:forage']);
        start.release();
        const hub = await start.started;
        try {
          assert.equal((await ids(await fetch(`${url}/api/v1/search?q=quartier&limit=50`))).length, 20);
        } finally {
          await hub.close();
        }
        assert.ok(existsSync(join(dir.path, 'search', 'index.bin')), 'a whole snapshot written again');
      } finally {
        dir.remove();
      }
    });
  }
});
