import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppError } from '../../../content/index.js';
import { bundleSecretFrom, openBundle, readBundleHeader, sealBundle } from '../../../provisioning/usb/index.js';

const content = { dbs: { submissions: [{ _id: 'kayes-01:usage:2026-11-22', _rev: '1-abc', type: 'usage', visits: 3 }], fleet: [] } };
const creds = bundleSecretFrom({ username: 'hub-kayes-01', password: 'un mot de passe' });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError);
    return e.reason;
  }
  assert.fail('expected a refusal');
}

describe('USB bundle: sealed and authenticated', () => {
  it('opens what it sealed, with the hub and counts in the plain header and nothing else readable', () => {
    const file = sealBundle('kayes-01', content, creds);
    const { header } = readBundleHeader(file);
    assert.equal(header.hubId, 'kayes-01');
    assert.deepEqual(header.counts, { submissions: 1, fleet: 0 });
    assert.equal(header.key.username, 'hub-kayes-01');
    assert.ok(!file.includes(Buffer.from('usage')), 'the docs are encrypted');
    assert.deepEqual(openBundle(file, creds).content, content);
  });

  it('refuses any changed byte: header, ciphertext, tag or seal', () => {
    const file = sealBundle('kayes-01', content, creds);
    const headEnd = file.indexOf(0x0a, 20);
    for (const at of [headEnd - 5, headEnd + 3, file.length - 40, file.length - 1]) {
      const bad = Buffer.from(file);
      bad[at] = bad[at]! ^ 0x01;
      assert.match(
        refusal(() => openBundle(bad, creds)),
        /^bundle-(tampered|invalid)$/,
        `byte ${at}`
      );
    }
    assert.equal(
      refusal(() => openBundle(file.subarray(0, file.length - 10), creds)),
      'bundle-tampered'
    );
  });

  it('refuses the wrong password, and a bundle key where credentials sealed it', () => {
    const file = sealBundle('kayes-01', content, creds);
    assert.equal(
      refusal(() => openBundle(file, bundleSecretFrom({ username: 'hub-kayes-01', password: 'autre chose' }))),
      'bundle-tampered'
    );
    assert.equal(
      refusal(() => openBundle(file, bundleSecretFrom({ bundleKey: randomBytes(32).toString('base64') }))),
      'bundle-wrong-secret'
    );
  });

  it("seals with the profile's bundle key when there is one", () => {
    const key = randomBytes(32).toString('base64');
    const secret = bundleSecretFrom({ bundleKey: key, username: 'ignored', password: 'ignored' });
    const file = sealBundle('kayes-01', content, secret);
    assert.equal(readBundleHeader(file).header.key.source, 'bundle-key');
    assert.deepEqual(openBundle(file, bundleSecretFrom({ bundleKey: key })).content, content);
    assert.equal(
      refusal(() => bundleSecretFrom({ bundleKey: 'c2hvcnQ=' })),
      'bad-bundle-key'
    );
    assert.equal(
      refusal(() => bundleSecretFrom({})),
      'no-bundle-secret'
    );
  });
});
