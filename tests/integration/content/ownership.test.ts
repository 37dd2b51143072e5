import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { buildPack, importPack, listInstalledPacks, type PackTarget, type TrustedKey } from '../../../content/pack/index.js';
import { silentLogger } from '../../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases, type Databases } from '../../../hub/storage/index.js';
import { fixtureKey, tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { snapshot } from './snapshot.js';

/** Issue #20, items 6–7: a trusted signature does not let one pack reach into another's documents, nor replay a version. */
describe('what a pack may touch', () => {
  const work = tempDir('espace-pack-owner-');
  const key = fixtureKey('owner-key');
  const trustedKeys: TrustedKey[] = [key.trusted];
  const packs: Record<string, string> = {};
  let dataDir: ReturnType<typeof tempDir>;
  let dbs: Databases;
  let target: PackTarget;
  const refusedWith = (reason: string) => (e: { reason?: string; details?: string }) => {
    assert.equal(e.reason, reason, e.details);
    return true;
  };

  before(async () => {
    const make = async (label: string, options: Parameters<typeof writeFixturePack>[1]) => {
      writeFixturePack(join(work.path, label), options);
      packs[label] = (await buildPack(join(work.path, label), key.signing, join(work.path, `${label}.espack`))).file;
    };
    await make('kayes', {});
    await make('kayes-rebuilt', {});
    await make('kayes-altered', { summary: 'Un résumé changé après coup' });
    await make('evil', { name: 'evil' });
    await make('evil-2', { name: 'evil', version: '2.0.0', withoutOfficial: true });
  });
  after(() => work.remove());

  beforeEach(async () => {
    dataDir = tempDir('espace-pack-owner-data-');
    dbs = await openDatabases(dataDir.path, silentLogger());
    target = { content: dbs.content, media: dbs.media, store: new MediaStore(dataDir.path) };
  });
  afterEach(async () => {
    await closeDatabases(dbs);
    dataDir.remove();
  });

  it("refuses a pack that would overwrite another pack's documents, with the databases unchanged", async () => {
    await importPack(packs.kayes!, target, { trustedKeys });
    const before = await snapshot(dbs);
    await assert.rejects(importPack(packs.evil!, target, { trustedKeys }), refusedWith('pack-foreign-doc'));
    assert.deepEqual(await snapshot(dbs), before);
    // So its next version has nothing of kayes' to remove either.
    await assert.rejects(importPack(packs['evil-2']!, target, { trustedKeys }), refusedWith('pack-foreign-doc'));
    assert.equal(((await dbs.content.get('official:fixture-maire')) as { pack?: string }).pack, 'fixture');
    assert.deepEqual(await snapshot(dbs), before);
  });

  it('refuses to overwrite documents central wrote (no pack owns them)', async () => {
    await dbs.content.put({ _id: 'document:pdesc', type: 'document', title: { fr: 'Écrit à central' }, summary: { fr: 'x' }, kind: 'plan' } as never);
    const before = await snapshot(dbs);
    await assert.rejects(
      importPack(packs.kayes!, target, { trustedKeys }),
      (e: { reason?: string; details?: string }) => e.reason === 'pack-foreign-doc' && /document:pdesc/.test(e.details!)
    );
    assert.deepEqual(await snapshot(dbs), before);
  });

  it('accepts the same version again only when its files are byte for byte those installed', async () => {
    await importPack(packs.kayes!, target, { trustedKeys });
    assert.equal((await importPack(packs['kayes-rebuilt']!, target, { trustedKeys })).status, 'unchanged', 'a rebuild that changed nothing');
    const before = await snapshot(dbs);
    await assert.rejects(importPack(packs['kayes-altered']!, target, { trustedKeys }), refusedWith('pack-version-differs'));
    assert.deepEqual(await snapshot(dbs), before);
  });

  it('does not let an original version roll back an altered one of the same number', async () => {
    await importPack(packs['kayes-altered']!, target, { trustedKeys });
    const before = await snapshot(dbs);
    await assert.rejects(importPack(packs.kayes!, target, { trustedKeys }), refusedWith('pack-version-differs'));
    assert.deepEqual(await snapshot(dbs), before);
    assert.equal((await listInstalledPacks(dbs.content))[0]!.version, '1.0.0');
  });
});
