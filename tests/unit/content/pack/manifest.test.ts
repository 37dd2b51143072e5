import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../../content/index.js';
import {
  buildPack,
  compareVersions,
  DEMO_KEY_ID,
  Manifest,
  publicKeyFrom,
  rawPublicKeyBase64,
  readPack,
  readPackSource,
  trustedKeysOf,
  type BuildResult,
} from '../../../../content/pack/index.js';
import { projectRoot } from '../../../../hub/config/index.js';
import { fixtureKey, tempDir, writeFixturePack } from './fixture.js';

describe('pack manifest and signature', () => {
  const dir = tempDir('espace-pack-sig-');
  const key = fixtureKey('fixture-2026');
  let built: BuildResult;
  before(async () => {
    writeFixturePack(join(dir.path, 'src'));
    built = await buildPack(join(dir.path, 'src'), key.signing, join(dir.path, 'fixture.espack'), { createdAt: '2026-11-22T10:00:00Z' });
  });
  after(() => dir.remove());

  it('lists every doc and media file with its sha256 and size, and names the key', () => {
    const m = Manifest.parse(built.manifest);
    assert.equal(m.name, 'fixture');
    assert.equal(m.version, '1.0.0');
    assert.equal(m.keyId, 'fixture-2026');
    assert.equal(m.createdAt, '2026-11-22T10:00:00Z');
    const paths = m.entries.map((e) => e.path);
    assert.ok(paths.includes('docs/lesson/budget-1.json'));
    assert.equal(paths.filter((p) => p.startsWith('media/')).length, 2);
    assert.equal(paths.filter((p) => p.startsWith('docs/media/')).length, 2);
    assert.equal(m.entries.length, 5 + 2 + 2);
  });

  it('round-trips: the pack reads back signed, with the same docs', async () => {
    const pack = await readPack(built.file, [key.trusted]);
    const src = await readPackSource(join(dir.path, 'src'));
    assert.deepEqual(pack.docs.map((d) => d._id).sort(), src.docs.map((d) => d._id).sort());
    assert.deepEqual(
      pack.docs.find((d) => d._id === 'lesson:budget-1'),
      src.docs.find((d) => d._id === 'lesson:budget-1')
    );
    assert.deepEqual(pack.manifest, built.manifest);
    assert.match(pack.manifestSha256, /^[0-9a-f]{64}$/);
  });

  it('builds the same bytes from the same sources', async () => {
    const again = await buildPack(join(dir.path, 'src'), key.signing, join(dir.path, 'again.espack'), { createdAt: '2026-11-22T10:00:00Z' });
    assert.deepEqual(readFileSync(again.file), readFileSync(built.file));
  });

  it('accepts the public key as a one-line base64 as well as PEM', async () => {
    const raw = rawPublicKeyBase64(publicKeyFrom(key.trusted));
    assert.equal(Buffer.from(raw, 'base64').length, 32);
    const pack = await readPack(built.file, [{ id: 'fixture-2026', publicKey: raw }]);
    assert.equal(pack.manifest.keyId, 'fixture-2026');
  });

  it('refuses a key that is trusted under the right id but is not the signer', async () => {
    const other = fixtureKey('fixture-2026');
    await assert.rejects(readPack(built.file, [other.trusted]), (e: unknown) => e instanceof AppError && e.reason === 'pack-bad-signature');
  });

  it('refuses a key id the hub does not trust, saying how to trust it', async () => {
    await assert.rejects(
      readPack(built.file, [fixtureKey('someone-else').trusted]),
      (e: unknown) => e instanceof AppError && e.reason === 'pack-untrusted-key' && /'fixture-2026'/.test(e.details) && /trustedKeys/.test(e.details)
    );
  });

  it('refuses a trusted key that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.throws(
      () => publicKeyFrom({ id: 'ec', publicKey: pem }),
      (e: unknown) => e instanceof AppError && e.reason === 'pack-bad-key'
    );
    assert.throws(() => publicKeyFrom({ id: 'short', publicKey: Buffer.alloc(16).toString('base64') }), /not an Ed25519 public key/);
  });

  it('trusts the demo key only when trustDemoKey is on', () => {
    const root = projectRoot();
    assert.ok(trustedKeysOf({ trustedKeys: [], trustDemoKey: true }, root).some((k) => k.id === DEMO_KEY_ID));
    assert.deepEqual(trustedKeysOf({ trustedKeys: [], trustDemoKey: false }, root), []);
    assert.deepEqual(trustedKeysOf({ trustedKeys: [key.trusted], trustDemoKey: false }, root), [key.trusted]);
  });
});

describe('pack versions', () => {
  it('orders versions by semver precedence', () => {
    assert.ok(compareVersions('1.0.0', '1.0.1') < 0);
    assert.ok(compareVersions('1.10.0', '1.9.9') > 0);
    assert.ok(compareVersions('2.0.0-rc.1', '2.0.0') < 0);
    assert.ok(compareVersions('2.0.0-rc.2', '2.0.0-rc.10') < 0);
    assert.ok(compareVersions('2.0.0-alpha', '2.0.0-alpha.1') < 0);
    assert.equal(compareVersions('3.1.4', '3.1.4'), 0);
  });
});
