import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMON_SPELLINGS, COMPRESS_FROM, EncodingMemo, negotiated } from '../../../../hub/http/negotiate.js';

describe('Accept-Encoding negotiation (memoised)', () => {
  it('picks brotli, then gzip, among equals, as compression() does', () => {
    const m = new EncodingMemo();
    assert.equal(m.choose('gzip, deflate, br, zstd', 10_000), 'br');
    assert.equal(m.choose('gzip, deflate', 10_000), 'gzip');
    assert.equal(m.choose('GZIP', 10_000), 'gzip');
    assert.equal(m.choose('*', 10_000), 'br');
    assert.equal(m.choose('zstd', 10_000), 'identity');
    assert.equal(m.choose('deflate', 10_000), 'identity');
    assert.equal(m.choose('identity', 10_000), 'identity');
    assert.equal(m.choose('', 10_000), 'identity');
    assert.equal(m.choose(undefined, 10_000), 'identity');
  });

  it('honours q-values, q=0 included', () => {
    const m = new EncodingMemo();
    assert.equal(m.choose('br;q=0, gzip', 10_000), 'gzip');
    assert.equal(m.choose('gzip;q=0, br;q=0', 10_000), 'identity');
    assert.equal(m.choose('gzip;q=0.9, br;q=0.5', 10_000), 'gzip');
    assert.equal(m.choose('*;q=0, identity', 10_000), 'identity');
    assert.equal(m.choose('*, br;q=0', 10_000), 'gzip');
  });

  it('leaves small bodies as they are, unless identity is refused', () => {
    const m = new EncodingMemo();
    assert.equal(m.choose('gzip', COMPRESS_FROM - 1), 'identity');
    assert.equal(m.choose('gzip, identity;q=0', COMPRESS_FROM - 1), 'gzip');
    assert.equal(m.choose('gzip', COMPRESS_FROM), 'gzip');
  });

  it('parses each spelling once and stays within its bound', () => {
    const m = new EncodingMemo(4);
    const first = m.acceptable('gzip, br');
    assert.equal(m.acceptable('gzip, br'), first, 'the same object: remembered, not parsed again');
    for (let i = 0; i < 50; i++) m.acceptable(`gzip;q=0.${i % 10}, x-${i}`);
    assert.equal(m.size, 4);
    assert.notEqual(m.acceptable('gzip, br'), first, 'the oldest spelling was let go');
  });

  it('knows the common spellings as negotiator reads them', () => {
    for (const [header, acceptable] of COMMON_SPELLINGS) assert.deepEqual(acceptable, negotiated(header), header);
  });
});
