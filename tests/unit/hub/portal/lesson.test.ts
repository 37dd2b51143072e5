import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LessonBlock } from '../../../../content/index.js';
import { blocksFor } from '../../../../hub/portal/pages/learn.js';

const sha = (c: string) => c.repeat(64);
const blocks: LessonBlock[] = [
  { kind: 'text', body: { fr: 'Le conseil vote le budget.' } },
  { kind: 'audio', media: sha('a'), lang: 'fr' },
  { kind: 'audio', media: sha('b'), lang: 'bm' },
  { kind: 'audio', media: sha('c') },
];

describe('lesson narration per language', () => {
  it('keeps the visitor’s recording and drops the other languages', () => {
    assert.deepEqual(
      blocksFor(blocks, 'bm').map((b) => (b.kind === 'audio' ? b.media[0] : b.kind)),
      ['text', 'b', 'c']
    );
  });
  it('falls back to the French recording when the visitor’s language has none', () => {
    assert.deepEqual(
      blocksFor(blocks, 'snk').map((b) => (b.kind === 'audio' ? b.media[0] : b.kind)),
      ['text', 'a', 'c']
    );
  });
  it('leaves lessons without language-tagged audio as they are', () => {
    assert.deepEqual(blocksFor([blocks[0]!, blocks[3]!], 'bm'), [blocks[0], blocks[3]]);
  });
});
