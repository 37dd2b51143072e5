import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../../content/index.js';
import { buildPack, readPack, type VerifiedPack } from '../../../content/pack/index.js';
import { fixtureKey, tempDir, writeFixturePack } from '../../unit/content/pack/fixture.js';

describe('a pack with any byte changed', () => {
  const work = tempDir('espace-pack-flip-');
  const key = fixtureKey('fixture-key');
  let original: Buffer;
  let good: VerifiedPack;
  before(async () => {
    writeFixturePack(join(work.path, 'src'));
    const file = (await buildPack(join(work.path, 'src'), key.signing, join(work.path, 'good.espack'))).file;
    original = readFileSync(file);
    good = await readPack(file, [key.trusted]);
  });
  after(() => work.remove());

  it('is refused with a reason, or reads back exactly as the original (bytes no check covers, like the gzip mtime)', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (offset, mask) => {
        const bytes = Buffer.from(original);
        bytes[offset] = bytes[offset]! ^ mask;
        const file = join(work.path, 'flipped.espack');
        writeFileSync(file, bytes);
        try {
          const pack = await readPack(file, [key.trusted]);
          assert.deepEqual(pack, good);
        } catch (e) {
          assert.ok(e instanceof AppError, `a damaged pack must fail with an AppError, not ${(e as Error).stack}`);
          assert.match(e.reason, /^pack-/);
          refused += 1;
        }
      }),
      { numRuns: 60, seed: 20261122 }
    );
    assert.ok(refused > 40, `most flips must be caught (${refused} of 60)`);
  });
});
