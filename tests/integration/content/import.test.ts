import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, afterEach, describe, it } from 'node:test';
import { AppError } from '../../../content/index.js';
import {
  buildPack,
  importPack,
  listInstalledPacks,
  readPack,
  resumePackImport,
  stageImport,
  type PackTarget,
  type TrustedKey,
} from '../../../content/pack/index.js';
import { silentLogger } from '../../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases, type Databases } from '../../../hub/storage/index.js';
import { snapshot } from './snapshot.js';
import { fixtureKey, tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';

describe('pack import into a real PouchDB', () => {
  const work = tempDir('espace-pack-import-');
  const key = fixtureKey('fixture-key');
  const trustedKeys: TrustedKey[] = [key.trusted];
  const packs: Record<string, string> = {};
  let dataDir: ReturnType<typeof tempDir>;
  let dbs: Databases;
  let target: PackTarget;

  before(async () => {
    const make = async (name: string, options: Parameters<typeof writeFixturePack>[1]) => {
      writeFixturePack(join(work.path, name), options);
      packs[name] = (await buildPack(join(work.path, name), key.signing, join(work.path, `${name}.espack`))).file;
    };
    await make('v1', {});
    await make('v1-again', {});
    await make('v2', { version: '1.1.0', withoutOfficial: true, summary: 'Le budget, recettes et dépenses' });
  });
  after(() => work.remove());

  beforeEach(async () => {
    dataDir = tempDir('espace-pack-data-');
    dbs = await openDatabases(dataDir.path, silentLogger());
    target = { content: dbs.content, media: dbs.media, store: new MediaStore(dataDir.path) };
  });
  afterEach(async () => {
    await closeDatabases(dbs);
    dataDir.remove();
  });

  it('imports docs, media metadata and media bytes, and records the pack', async () => {
    const result = await importPack(packs.v1!, target, { trustedKeys });
    assert.equal(result.status, 'installed');
    assert.equal(result.docs, 5);
    assert.equal(result.media, 2);
    assert.equal(result.written, 7);
    const lesson = await dbs.content.get('lesson:budget-1');
    assert.equal(lesson.pack, 'fixture');
    const media = await dbs.media.allDocs({ include_docs: true });
    assert.equal(media.rows.length, 2);
    const store = new MediaStore(dataDir.path);
    for (const row of media.rows) {
      const meta = row.doc as unknown as { sha256: string; size: number };
      assert.equal((await store.stat(meta.sha256))?.size, meta.size);
    }
    const [installed] = await listInstalledPacks(dbs.content);
    assert.equal(installed!.name, 'fixture');
    assert.equal(installed!.version, '1.0.0');
    assert.equal(installed!.keyId, 'fixture-key');
    assert.deepEqual(installed!.counts, { docs: 5, media: 2 });
  });

  it('changes nothing when the same pack (or a rebuild of the same sources) comes again', async () => {
    await importPack(packs.v1!, target, { trustedKeys });
    const before = await snapshot(dbs);
    const again = await importPack(packs.v1!, target, { trustedKeys });
    assert.equal(again.status, 'unchanged');
    assert.deepEqual(await snapshot(dbs), before);
    // A rebuild has another createdAt, so another manifest: docs stay at their revisions.
    const rebuilt = await importPack(packs['v1-again']!, target, { trustedKeys });
    assert.equal(rebuilt.written, 0);
    const after = (await snapshot(dbs)) as { content: unknown; media: unknown };
    assert.deepEqual(after.content, (before as typeof after).content);
    assert.deepEqual(after.media, (before as typeof after).media);
  });

  it('updates to a newer version, removing what it dropped, and refuses to go back', async () => {
    await importPack(packs.v1!, target, { trustedKeys });
    const revBefore = (await dbs.content.get('lesson:budget-1'))._rev;
    const result = await importPack(packs.v2!, target, { trustedKeys });
    assert.equal(result.status, 'updated');
    assert.equal(result.removed, 2, 'the official and its photo metadata');
    await assert.rejects(dbs.content.get('official:fixture-maire'), (e: { status?: number }) => e.status === 404);
    assert.equal((await dbs.media.allDocs()).rows.length, 1);
    assert.deepEqual(((await dbs.content.get('course:budget')) as unknown as { summary: unknown }).summary, { fr: 'Le budget, recettes et dépenses' });
    assert.equal((await dbs.content.get('lesson:budget-1'))._rev, revBefore, 'unchanged docs keep their revision');
    assert.equal((await listInstalledPacks(dbs.content))[0]!.version, '1.1.0');

    const before = await snapshot(dbs);
    await assert.rejects(
      importPack(packs.v1!, target, { trustedKeys }),
      (e: unknown) => e instanceof AppError && e.reason === 'pack-older-version' && /1\.1\.0/.test(e.details) && /1\.0\.0/.test(e.details)
    );
    assert.deepEqual(await snapshot(dbs), before);
  });

  it('leaves docs another pack or central took over when a newer version drops them', async () => {
    await importPack(packs.v1!, target, { trustedKeys });
    const official = await dbs.content.get('official:fixture-maire');
    await dbs.content.put({ ...official, pack: 'other' });
    await importPack(packs.v2!, target, { trustedKeys });
    assert.equal((await dbs.content.get('official:fixture-maire')).pack, 'other');
  });

  it('rolls forward an import interrupted after its plan was written', async () => {
    const pack = await readPack(packs.v1!, trustedKeys, { mediaSink: (sha, bytes) => target.store.put(bytes, sha) });
    const intent = await stageImport(target, pack);
    assert.ok(intent);
    // What a kill -9 in the middle of applying leaves: the plan, and half of the docs.
    const half = pack.docs.slice(0, Math.ceil(pack.docs.length / 2));
    await dbs.content.bulkDocs(half as never[]);
    assert.equal((await listInstalledPacks(dbs.content)).length, 0);

    const resumed = await resumePackImport(target);
    assert.equal(resumed.action, 'rolled-forward');
    assert.equal(resumed.written, pack.docs.length + pack.media.length - half.length);
    assert.equal((await dbs.content.allDocs()).rows.length, 5);
    assert.equal((await dbs.media.allDocs()).rows.length, 2);
    assert.equal((await listInstalledPacks(dbs.content))[0]!.version, '1.0.0');
    await assert.rejects(dbs.content.get('_local/pack-import'), (e: { status?: number }) => e.status === 404);
    assert.equal((await resumePackImport(target)).action, 'none');
    // And the pack is now simply installed: importing it again changes nothing.
    assert.equal((await importPack(packs.v1!, target, { trustedKeys })).status, 'unchanged');
  });

  it('drops a plan that a crash cut short before it was complete (no doc touched)', async () => {
    await dbs.content.put({
      _id: '_local/pack-import',
      state: 'staging',
      chunks: 1,
      record: { name: 'fixture', version: '9.9.9' },
      put: { content: [], media: [] },
      remove: { content: [], media: [] },
      previous: null,
    });
    await dbs.content.put({ _id: '_local/pack-import-docs-0', db: 'content', docs: [{ _id: 'document:never', type: 'document' }] });
    const resumed = await resumePackImport(target);
    assert.equal(resumed.action, 'dropped');
    assert.equal((await dbs.content.allDocs()).rows.length, 0);
    await assert.rejects(dbs.content.get('_local/pack-import-docs-0'), (e: { status?: number }) => e.status === 404);
  });

  it('survives reopening the databases between plan and apply', async () => {
    const pack = await readPack(packs.v1!, trustedKeys, { mediaSink: (sha, bytes) => target.store.put(bytes, sha) });
    await stageImport(target, pack);
    await closeDatabases(dbs);
    dbs = await openDatabases(dataDir.path, silentLogger());
    target = { content: dbs.content, media: dbs.media, store: new MediaStore(dataDir.path) };
    assert.equal((await resumePackImport(target)).action, 'rolled-forward');
    assert.equal((await dbs.content.allDocs()).rows.length, 5);
  });
});
