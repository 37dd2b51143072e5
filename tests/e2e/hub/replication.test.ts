import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, seedFixtures, startTestHub, type TestHub } from '../../support/index.js';

const require = createRequire(import.meta.url);
const pouchBundle = readFileSync(require.resolve('pouchdb/dist/pouchdb.min.js'));

describe('a browser PouchDB takes the content home from /db', () => {
  let hub: TestHub;
  let browser: Browser;
  before(async () => {
    hub = await startTestHub();
    await seedFixtures(hub);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('replicates content and cannot write back', async () => {
    const context = await browser.newContext();
    // The bundle is served as if from the hub, so the hub's CSP (script-src 'self') allows it.
    await context.route(`${hub.url}/__test/pouchdb.js`, (route) => route.fulfill({ body: pouchBundle, contentType: 'text/javascript' }));
    const page = await context.newPage();
    await page.goto(`${hub.url}/health`);
    await page.addScriptTag({ url: '/__test/pouchdb.js' });
    const result = await page.evaluate(async () => {
      const P = (window as unknown as { PouchDB: any }).PouchDB;
      const local = new P('espace-content');
      const remote = new P(`${location.origin}/db/content`, { skip_setup: true });
      const rep = await P.replicate(remote, local);
      const info = await local.info();
      const course = await local.get('course:gouvernance-locale');
      let putStatus = 0;
      try {
        await remote.put({ _id: 'announcement:pirate', type: 'announcement' });
      } catch (e) {
        putStatus = (e as { status: number }).status;
      }
      await local.put({ _id: 'announcement:pirate', type: 'announcement', title: { fr: 'x' } });
      const push = await P.replicate(local, remote).then(
        (r: { docs_written: number; doc_write_failures: number }) => ({ written: r.docs_written, failures: r.doc_write_failures, status: 0 }),
        (e: { status: number }) => ({ written: 0, failures: 1, status: e.status })
      );
      return { ok: rep.ok, docs: info.doc_count, title: course.title.fr, putStatus, push };
    });
    assert.equal(result.ok, true);
    assert.equal(result.docs, (await hub.deps.dbs.content.allDocs()).rows.filter((r) => !r.id.startsWith('_')).length);
    assert.equal(result.title, 'Gouverner une collectivité');
    assert.equal(result.putStatus, 403);
    assert.equal(result.push.written, 0, 'nothing written back through /db');
    await assert.rejects(hub.deps.dbs.content.get('announcement:pirate'), /missing|not_found/);
    await context.close();
  });
});
