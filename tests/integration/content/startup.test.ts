import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import {
  buildPack,
  DEMO_KEY_ID,
  DEMO_PACK_DIR,
  DEMO_PACK_FILE,
  listInstalledPacks,
  loadSigningKey,
  readPack,
  stageImport,
} from '../../../content/pack/index.js';
import { projectRoot } from '../../../hub/config/index.js';
import { prepareContent, type ContentStartup } from '../../../hub/seed.js';
import { silentLogger } from '../../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases, type Databases } from '../../../hub/storage/index.js';
import { startTestHub, tempDir } from '../../support/hub.js';
import { fixtureKey, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { snapshot } from './snapshot.js';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      cb();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines, messages: () => lines.map((l) => l.msg).join('\n') };
}

/** A project root of our own: the demo key and, as the "demo" sources, the fixture pack. */
function fakeRoot(path: string, options: { sources?: boolean } = {}): string {
  mkdirSync(join(path, 'content'), { recursive: true });
  cpSync(join(projectRoot(), 'content', 'keys'), join(path, 'content', 'keys'), { recursive: true });
  if (options.sources !== false) writeFixturePack(join(path, DEMO_PACK_DIR));
  return path;
}

describe('content at hub start-up', () => {
  const work = tempDir('espace-pack-start-');
  let n = 0;
  const open = async (): Promise<{ dbs: Databases; target: ContentStartup['target'] }> => {
    const dir = join(work.path, `data-${(n += 1)}`);
    const dbs = await openDatabases(dir, silentLogger());
    return { dbs, target: { content: dbs.content, media: dbs.media, store: new MediaStore(dir) } };
  };
  const config = (overrides: Partial<{ seedDemo: boolean; trustDemoKey: boolean }> = {}) => ({
    trustedKeys: [],
    trustDemoKey: true,
    seedDemo: true,
    ...overrides,
  });
  after(() => work.remove());

  it('seeds the demo pack into an empty hub, from its sources when it is not built, and only once', async () => {
    const root = fakeRoot(join(work.path, 'root-sources'));
    const { dbs, target } = await open();
    try {
      const cap = capturingLogger();
      await prepareContent({ config: config(), log: cap.log, target, root });
      assert.match(cap.messages(), /demo pack not built yet: building it from its sources/);
      assert.match(cap.messages(), /seeded the demo content pack/);
      assert.equal((await dbs.content.allDocs()).rows.length, 5);
      assert.equal((await listInstalledPacks(dbs.content))[0]!.keyId, DEMO_KEY_ID);

      const before = await snapshot(dbs);
      const again = capturingLogger();
      await prepareContent({ config: config(), log: again.log, target, root });
      assert.deepEqual(await snapshot(dbs), before);
      assert.doesNotMatch(again.messages(), /seeded/);
    } finally {
      await closeDatabases(dbs);
    }
  });

  it('seeds from the built pack file when make build made it', async () => {
    const root = fakeRoot(join(work.path, 'root-built'));
    await buildPack(join(root, DEMO_PACK_DIR), loadSigningKey(join(root, 'content/keys/demo-signing.key')), join(root, DEMO_PACK_FILE));
    const { dbs, target } = await open();
    try {
      const cap = capturingLogger();
      await prepareContent({ config: config(), log: cap.log, target, root });
      assert.doesNotMatch(cap.messages(), /building it from its sources/);
      assert.match(cap.messages(), /seeded the demo content pack/);
      assert.equal((await dbs.content.allDocs()).rows.length, 5);
    } finally {
      await closeDatabases(dbs);
    }
  });

  it('does not seed when seedDemo is off, or when the demo key is not trusted', async () => {
    const root = fakeRoot(join(work.path, 'root-off'));
    const { dbs, target } = await open();
    try {
      await prepareContent({ config: config({ seedDemo: false }), log: capturingLogger().log, target, root });
      assert.equal((await dbs.content.allDocs()).rows.length, 0);
      const cap = capturingLogger();
      await prepareContent({ config: config({ trustDemoKey: false }), log: cap.log, target, root });
      assert.match(cap.messages(), /trustDemoKey is off/);
      assert.equal((await dbs.content.allDocs()).rows.length, 0);
    } finally {
      await closeDatabases(dbs);
    }
  });

  it('keeps starting, with a clear log line, when the demo is missing or broken', async () => {
    const { dbs, target } = await open();
    try {
      const missing = capturingLogger();
      await prepareContent({ config: config(), log: missing.log, target, root: fakeRoot(join(work.path, 'root-missing'), { sources: false }) });
      assert.match(missing.messages(), /no demo pack to seed/);

      const brokenRoot = fakeRoot(join(work.path, 'root-broken'));
      writeFileSync(join(brokenRoot, DEMO_PACK_DIR, 'officials.yaml'), '- _id: official:x\n  type: official\n  photo: media/nowhere.png\n');
      const broken = capturingLogger();
      await prepareContent({ config: config(), log: broken.log, target, root: brokenRoot });
      assert.match(broken.messages(), /could not seed the demo pack: officials\.yaml \(official:x\): media\/nowhere\.png names no file/);
      assert.ok(broken.lines.some((l) => l.level === 50));
      assert.equal((await dbs.content.allDocs()).rows.length, 0);
    } finally {
      await closeDatabases(dbs);
    }
  });

  describe('the real hub', () => {
    const key = fixtureKey('fixture-key');
    let file: string;
    before(async () => {
      writeFixturePack(join(work.path, 'hub-src'));
      file = (await buildPack(join(work.path, 'hub-src'), key.signing, join(work.path, 'hub.espack'))).file;
    });

    it('finishes, before it listens, an import a crash left planned but not applied', async () => {
      const dataDir = join(work.path, 'hub-data');
      const dbs = await openDatabases(dataDir, silentLogger());
      const target = { content: dbs.content, media: dbs.media, store: new MediaStore(dataDir) };
      await stageImport(target, await readPack(file, [key.trusted], { mediaSink: (sha, bytes) => target.store.put(bytes, sha) }));
      await closeDatabases(dbs);

      const hub = await startTestHub({ trustedKeys: [key.trusted], trustDemoKey: false }, dataDir);
      try {
        const content = hub.deps.dbs.content;
        assert.equal((await content.allDocs()).rows.length, 5);
        assert.equal((await hub.deps.dbs.media.allDocs()).rows.length, 2);
        assert.equal((await listInstalledPacks(content))[0]!.name, 'fixture');
        await assert.rejects(content.get('_local/pack-import'), (e: { status?: number }) => e.status === 404);
      } finally {
        await hub.close();
      }
    });
  });
});
