import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../../../../hub/log/index.js';
import { publicAnswers } from '../../../../../hub/portal/pages/queries.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../../hub/storage/index.js';
import { tempDir } from '../../../../support/hub.js';

const HUB = 'kayes-demo';
const feedback = (i: number, published: boolean) => ({
  _id: `${HUB}:feedback:${String(i).padStart(6, '0')}`,
  type: 'feedback',
  official: 'official:awa',
  message: `message ${i}`,
  createdAt: `2026-11-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
  ...(published ? { status: 'answered', answer: `réponse ${i}`, answerPublic: true } : { status: 'new' }),
});

describe('published answers', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  before(async () => {
    dir = tempDir('espace-answers-');
    dbs = await openDatabases(dir.path, silentLogger());
    // 350 messages; only three old ones have a published answer (they sit past the first reads of 100).
    await dbs.submissions.bulkDocs(Array.from({ length: 350 }, (_, i) => feedback(i, i === 3 || i === 7 || i === 120)) as never);
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it('finds them newest first, reading the messages a hundred at a time, and stops at the limit', async () => {
    assert.deepEqual(
      (await publicAnswers(dbs.submissions, HUB, 10)).map((a) => a.answer),
      ['réponse 120', 'réponse 7', 'réponse 3']
    );
    assert.deepEqual(
      (await publicAnswers(dbs.submissions, HUB, 2)).map((a) => a.answer),
      ['réponse 120', 'réponse 7']
    );
    assert.deepEqual(await publicAnswers(dbs.submissions, 'other-hub', 5), []);
  });
});
