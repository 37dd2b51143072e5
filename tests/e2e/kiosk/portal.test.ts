import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../../hub/config/index.js';
import { loadPageScripts } from '../../../kiosk/page-scripts.js';
import { isAllowedRequest } from '../../../kiosk/policy/origin.js';
import { launchBrowser, KIOSK } from '../../support/browser.js';
import { startTestHub, type TestHub } from '../../support/hub.js';

const scripts = loadPageScripts(join(projectRoot(), 'kiosk', 'pages'));

/** The hub's real kiosk layout, with what the kiosk's main process adds to it. */
describe("kiosk on the hub's kiosk layout in Chromium", () => {
  let browser: Browser;
  let hub: TestHub;

  before(async () => {
    [browser, hub] = await Promise.all([launchBrowser(), startTestHub()]);
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('loads nothing the kiosk would cancel, and its first tap after a reset only wakes it', async () => {
    const context = await browser.newContext({ ...KIOSK, hasTouch: true });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    const start = `${hub.url}/kiosk`;
    const res = await page.goto(start);
    assert.equal(res!.status(), 200);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(
      requests.filter((u) => !isAllowedRequest(u, hub.url)),
      [],
      "every request passes the kiosk's request filter"
    );

    await page.evaluate(() => {
      (window as unknown as { wakes: number }).wakes = 0;
      window.addEventListener('espace-kiosk-wake', () => ((window as unknown as { wakes: number }).wakes += 1));
    });
    await page.evaluate(scripts.wakeOverlay);
    const tile = page.locator('ul.tiles a').first();
    const href = await tile.getAttribute('href');
    assert.ok(href, 'the layout has tiles');
    const box = (await tile.boundingBox())!;
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('#espace-kiosk-wake-overlay', { state: 'detached', timeout: 2000 });
    assert.equal(page.url(), start, 'the first tap opened nothing');
    assert.equal(await page.evaluate(() => (window as unknown as { wakes: number }).wakes), 1);
    assert.equal(await page.locator('[data-attract]').isHidden(), true, 'the attract loop heard the tap and stepped aside');

    await Promise.all([page.waitForURL((u) => u.href !== start, { timeout: 5000 }), page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2)]);
    assert.equal(new URL(page.url()).pathname, new URL(href, hub.url).pathname, 'the second tap opens the tile');
    await context.close();
  });
});
