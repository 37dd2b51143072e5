import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Usage } from '../../../content/index.js';
import { seedFixtures, startTestHub, tempDir } from '../../support/index.js';

describe('anonymous usage counts', () => {
  it('counts visits and page views per section and writes them to the day’s doc on close', async () => {
    const dir = tempDir();
    let hub = await startTestHub({}, dir.path);
    await seedFixtures(hub);
    const view = (path: string, cookie: string) => fetch(hub.url + path, { headers: { Cookie: cookie, Accept: 'text/html' } });
    // Two phones: one without the visit cookie each time it comes (two visits), one coming back within the half hour.
    await view('/', 'lang=fr');
    await view('/apprendre', 'lang=fr');
    await view('/apprendre/gouvernance-locale', 'lang=fr; visit=1');
    await view('/participer', 'lang=bm; visit=1');
    await fetch(`${hub.url}/api/v1/content?type=course`);
    await fetch(`${hub.url}/static/nothing.css`);
    await hub.close();

    hub = await startTestHub({}, dir.path);
    const date = new Date().toISOString().slice(0, 10);
    const doc = await hub.deps.dbs.submissions.get(`kayes-demo:usage:${date}`);
    const usage = Usage.parse(doc);
    assert.equal(usage.visits, 2);
    assert.deepEqual(usage.pageViews, { accueil: 1, apprendre: 2, participer: 1 });
    // Nothing but counts: no address, no device, no language.
    assert.deepEqual(
      Object.keys(doc)
        .filter((k) => !k.startsWith('_'))
        .sort(),
      ['createdAt', 'date', 'hubId', 'pageViews', 'type', 'visits']
    );

    // Counts add up across flushes into the same doc.
    await fetch(`${hub.url}/agenda`, { headers: { Cookie: 'lang=fr' } });
    await hub.deps.usage.flush();
    const again = Usage.parse(await hub.deps.dbs.submissions.get(`kayes-demo:usage:${date}`));
    assert.equal(again.visits, 3);
    assert.equal(again.pageViews.agenda, 1);
    assert.equal(again.pageViews.apprendre, 2);
    await hub.stop();
    dir.remove();
  });
});
