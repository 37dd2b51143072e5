import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../content/index.js';
import { buildPack, importPack, type PackLimits, type PackTarget, type TrustedKey } from '../../../content/pack/index.js';
import { silentLogger } from '../../../hub/log/index.js';
import { closeDatabases, MediaStore, openDatabases, type Databases } from '../../../hub/storage/index.js';
import { fixtureKey, tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';
import { snapshot } from './snapshot.js';
import { appendZeros, flipByte, rewritePack, truncate, type RawEntry } from './tamper.js';

/**
 * Each bad pack is offered to a hub that already holds version 1.0.0; each must be refused
 * with its reason and leave both databases exactly as they were.
 */
describe('bad packs are refused and change nothing', () => {
  const work = tempDir('espace-pack-bad-');
  const key = fixtureKey('fixture-key');
  const stranger = fixtureKey('fixture-key');
  const trustedKeys: TrustedKey[] = [key.trusted];
  let v1: string;
  let v2: string;
  let dbs: Databases;
  let target: PackTarget;
  let baseline: unknown;

  before(async () => {
    writeFixturePack(join(work.path, 'v1'));
    writeFixturePack(join(work.path, 'v2'), { version: '1.1.0', summary: 'Nouvelle version' });
    v1 = (await buildPack(join(work.path, 'v1'), key.signing, join(work.path, 'v1.espack'))).file;
    v2 = (await buildPack(join(work.path, 'v2'), key.signing, join(work.path, 'v2.espack'))).file;
    dbs = await openDatabases(join(work.path, 'data'), silentLogger());
    target = { content: dbs.content, media: dbs.media, store: new MediaStore(join(work.path, 'data')) };
    await importPack(v1, target, { trustedKeys });
    baseline = await snapshot(dbs);
  });
  after(async () => {
    await closeDatabases(dbs);
    work.remove();
  });

  const bad = (name: string) => join(work.path, `${name}.espack`);
  const firstDoc = (entries: RawEntry[]) => entries.find((e) => e.name.startsWith('docs/course/'))!;
  const firstMedia = (entries: RawEntry[]) => entries.find((e) => e.name.startsWith('media/'))!;

  async function assertRefused(file: string, reason: string | string[], pattern: RegExp, limits?: Partial<PackLimits>) {
    const reasons = Array.isArray(reason) ? reason : [reason];
    await assert.rejects(importPack(file, target, { trustedKeys, limits }), (e: unknown) => {
      assert.ok(e instanceof AppError, `expected an AppError, got ${(e as Error).stack}`);
      assert.ok(reasons.includes(e.reason), `reason ${e.reason}: ${e.details}`);
      assert.match(e.details, pattern);
      return true;
    });
    assert.deepEqual(await snapshot(dbs), baseline, 'the databases must be exactly as before');
  }

  it('a byte changed inside a media file (hash mismatch)', async () => {
    await rewritePack(v2, bad('media-byte'), (entries) =>
      entries.map((e) => (e === firstMedia(entries) ? { ...e, body: Buffer.from(e.body.map((b, i) => (i === 100 ? b ^ 1 : b))) } : e))
    );
    await assertRefused(bad('media-byte'), 'pack-hash-mismatch', /does not match its sha256 in the signed manifest/);
  });

  it('a doc swapped for another of the same size (hash mismatch)', async () => {
    await rewritePack(v2, bad('doc-swap'), (entries) =>
      entries.map((e) => (e === firstDoc(entries) ? { ...e, body: Buffer.from(e.body.toString().replace('Nouvelle', 'Ancienne')) } : e))
    );
    await assertRefused(bad('doc-swap'), 'pack-hash-mismatch', /docs\/course\/budget\.json/);
  });

  it('a byte flipped in the compressed file', async () => {
    flipByte(v2, bad('flipped'), Math.floor(statSync(v2).size / 2));
    await assertRefused(bad('flipped'), ['pack-corrupt', 'pack-hash-mismatch', 'pack-bad-entry', 'pack-size-mismatch'], /damaged|changed/);
  });

  it('a truncated file', async () => {
    truncate(v2, bad('truncated'), 0.6);
    await assertRefused(bad('truncated'), 'pack-corrupt', /damaged or incomplete/);
  });

  it('an unsigned pack', async () => {
    await rewritePack(v2, bad('unsigned'), (entries) => entries.filter((e) => e.name !== 'manifest.sig'));
    await assertRefused(bad('unsigned'), 'pack-unsigned', /not signed/);
  });

  it('a pack signed by a key the hub does not trust', async () => {
    await buildPack(join(work.path, 'v2'), fixtureKey('someone').signing, bad('untrusted'));
    await assertRefused(bad('untrusted'), 'pack-untrusted-key', /signed with key 'someone' which this hub does not trust; add its public key to trustedKeys/);
  });

  it('a pack signed by another key under a trusted name', async () => {
    await buildPack(join(work.path, 'v2'), stranger.signing, bad('impostor'));
    await assertRefused(bad('impostor'), 'pack-bad-signature', /signature does not match/);
  });

  it('a manifest changed after signing', async () => {
    await rewritePack(v2, bad('manifest-edit'), (entries) =>
      entries.map((e) => (e.name === 'manifest.json' ? { ...e, body: Buffer.from(e.body.toString().replace('"1.1.0"', '"9.0.0"')) } : e))
    );
    await assertRefused(bad('manifest-edit'), 'pack-bad-signature', /changed after signing/);
  });

  it('an entry whose path climbs out (path traversal)', async () => {
    await rewritePack(v2, bad('traversal'), (entries) => [
      ...entries.slice(0, 2),
      { name: '../../etc/cron.d/evil', body: Buffer.from('* * * * * root sh\n') },
      ...entries.slice(2),
    ]);
    await assertRefused(bad('traversal'), 'pack-bad-entry', /"\.\.\/\.\.\/etc\/cron\.d\/evil"/);
  });

  it('a symbolic link entry', async () => {
    await rewritePack(v2, bad('symlink'), (entries) => [
      ...entries.slice(0, 2),
      { name: 'docs/course/link.json', body: Buffer.alloc(0), type: 'symlink' },
      ...entries.slice(2),
    ]);
    await assertRefused(bad('symlink'), 'pack-bad-entry', /symlink/);
  });

  it('an entry the manifest does not list', async () => {
    await rewritePack(v2, bad('extra'), (entries) => [...entries, { name: `media/${'0'.repeat(64)}`, body: Buffer.from('extra') }]);
    await assertRefused(bad('extra'), 'pack-unexpected-entry', /does not list/);
  });

  it('an entry the manifest lists but the pack lacks', async () => {
    await rewritePack(v2, bad('missing'), (entries) => entries.filter((e) => e !== firstMedia(entries)));
    await assertRefused(bad('missing'), 'pack-missing-entry', /lacks 1 file/);
  });

  it('a gzip bomb: a small file that decompresses far beyond its declared sizes', async () => {
    appendZeros(v2, bad('bomb'), 64 * 1024 * 1024);
    assert.ok(statSync(bad('bomb')).size < 1024 * 1024, 'the bomb is small on disk');
    await assertRefused(bad('bomb'), 'pack-too-large', /decompresses to more than/);
  });

  it('declared sizes over the hard cap', async () => {
    await assertRefused(v2, 'pack-too-large', /over the limit/, { maxTotalBytes: 10_000 });
  });

  it('too many entries', async () => {
    await assertRefused(v2, 'pack-too-many-entries', /more than 4 entries|lists \d+ entries, over the limit of 4/, { maxEntries: 4 });
  });

  it('malformed JSON, even when signed by a trusted key', async () => {
    await rewritePack(
      v2,
      bad('json'),
      (entries) => entries.map((e) => (e === firstDoc(entries) ? { ...e, body: Buffer.from('{"_id": "course:budget", ') } : e)),
      key.signing.privateKey
    );
    await assertRefused(bad('json'), 'pack-bad-json', /docs\/course\/budget\.json in the pack is not valid JSON/);
  });

  it('a doc failing the schema, even when signed by a trusted key', async () => {
    await rewritePack(
      v2,
      bad('schema'),
      (entries) => entries.map((e) => (e === firstDoc(entries) ? { ...e, body: Buffer.from(e.body.toString().replace('"gouvernance"', '"astrologie"')) } : e)),
      key.signing.privateKey
    );
    await assertRefused(bad('schema'), 'pack-invalid-doc', /course:budget.*category/);
  });

  it('a file that is not a pack at all', async () => {
    await rewritePack(v2, bad('empty'), () => []);
    await assertRefused(bad('empty'), 'pack-corrupt', /holds no entries/);
    await assertRefused(join(work.path, 'v1', 'pack.yaml'), 'pack-corrupt', /damaged or incomplete/);
    await assertRefused(join(work.path, 'nowhere.espack'), 'pack-not-found', /no pack file at/);
  });

  it('and still imports the good version afterwards', async () => {
    const result = await importPack(v2, target, { trustedKeys });
    assert.equal(result.status, 'updated');
    assert.equal(result.written, 1);
  });
});
