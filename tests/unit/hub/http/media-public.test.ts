import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MEDIA_FRONT } from '../../../../hub/http/index.js';
import { PublicMedia } from '../../../../hub/http/media-public.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Databases } from '../../../../hub/storage/index.js';
import { tempDir } from '../../../support/hub.js';

const sha = (c: string) => c.repeat(64);

/** Until `done` holds (the links are made in the background), at most about ten seconds. */
async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; !done(); i += 1) {
    if (i > 500) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the public links of the nginx front (issue 18, item 5)', () => {
  let dir: { path: string; remove(): void };
  let dbs: Databases;
  const link = (s: string, ext: string) => join(dir.path, MEDIA_FRONT.public, s.slice(0, 2), `${s}.${ext}`);
  /** No change feed here: guarded docs are read at start only. */
  const catalog = { onChange: () => () => true };

  before(async () => {
    dir = tempDir('espace-public-');
    dbs = await openDatabases(dir.path, silentLogger());
    for (const c of 'abcde') {
      mkdirSync(join(dir.path, 'media', sha(c).slice(0, 2)), { recursive: true });
      writeFileSync(join(dir.path, 'media', sha(c).slice(0, 2), sha(c)), `file ${c}`);
    }
    // A private thread names c; a public one names d (anyone may read it, but threads are guarded).
    await dbs.content.bulkDocs([
      { _id: 'answer:q-1', type: 'answer', visibility: 'private', asked: { voice: sha('c') }, answers: [] },
      { _id: 'answer:q-2', type: 'answer', visibility: 'public', asked: { voice: sha('d') }, answers: [] },
      { _id: 'course:c-1', type: 'course', cover: sha('a') },
    ]);
    // A link made while c was public, before the thread came (imported while the hub was stopped).
    mkdirSync(join(dir.path, MEDIA_FRONT.public, sha('c').slice(0, 2)), { recursive: true });
    symlinkSync(`../../media/${sha('c').slice(0, 2)}/${sha('c')}`, link(sha('c'), 'ogg'));
  });
  after(async () => {
    await closeDatabases(dbs);
    dir.remove();
  });

  it("links a file shown inline to the store's file, takes away a guarded one's at start, never links a download", async () => {
    const links = new PublicMedia({ dataDir: dir.path, content: dbs.content, catalog, log: silentLogger() });
    await links.guard();
    assert.equal(existsSync(link(sha('c'), 'ogg')), false, "a private thread's voice loses the link it had");
    links.offer(sha('a'), { size: 6, mime: 'video/mp4' });
    links.offer(sha('b'), { size: 6, mime: 'text/plain' });
    links.offer(sha('c'), { size: 6, mime: 'audio/ogg' });
    links.offer(sha('d'), { size: 6, mime: 'audio/ogg' });
    links.offer(sha('e'), { size: 6, mime: 'application/pdf' });
    await until('a and b linked', () => existsSync(link(sha('a'), 'mp4')) && existsSync(link(sha('b'), 'txt')));
    assert.equal(readlinkSync(link(sha('a'), 'mp4')), `../../media/${sha('a').slice(0, 2)}/${sha('a')}`, 'relative: a backup restored elsewhere keeps it');
    assert.equal(realpathSync(link(sha('a'), 'mp4')), realpathSync(join(dir.path, 'media', sha('a').slice(0, 2), sha('a'))));
    // Offered again (the front asked the hub before it saw the link): nothing changes.
    links.offer(sha('a'), { size: 6, mime: 'video/mp4' });
    await links.guard();
    for (const [s, ext] of [
      ['c', 'ogg'],
      ['d', 'ogg'],
      ['e', 'pdf'],
    ] as const) {
      assert.equal(existsSync(link(sha(s), ext)), false, `${s}: no link`);
    }
  });
});
