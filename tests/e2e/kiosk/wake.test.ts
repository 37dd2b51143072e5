import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../../hub/config/index.js';
import { loadPageScripts } from '../../../kiosk/page-scripts.js';
import { launchBrowser, KIOSK } from '../../support/browser.js';

const scripts = loadPageScripts(join(projectRoot(), 'kiosk', 'pages'));

// A stand-in for the attract loop: a big button that counts presses, and the wake-ups heard.
const PAGE = `<!doctype html><html lang="fr"><body style="margin:0">
<button id="start" style="position:fixed;inset:0;width:100%;height:100%">Commencer</button>
<script>
  window.presses = 0; window.wakes = 0;
  document.getElementById('start').addEventListener('click', () => { window.presses += 1; });
  window.addEventListener('espace-kiosk-wake', () => { window.wakes += 1; });
</script></body></html>`;

describe('kiosk wake overlay in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  before(async () => {
    browser = await launchBrowser();
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const counts = (page: import('playwright-core').Page) =>
    page.evaluate(() => ({ presses: (window as unknown as { presses: number }).presses, wakes: (window as unknown as { wakes: number }).wakes }));

  it('swallows the first tap on a touch screen; the next tap presses the button', async () => {
    const context = await browser.newContext({ ...KIOSK, hasTouch: true });
    const page = await context.newPage();
    await page.goto(url);
    await page.evaluate(scripts.wakeOverlay);
    await page.evaluate(scripts.wakeOverlay);
    assert.equal(await page.locator('#espace-kiosk-wake-overlay').count(), 1, 'installed once');
    await page.touchscreen.tap(960, 540);
    await page.waitForSelector('#espace-kiosk-wake-overlay', { state: 'detached', timeout: 2000 });
    assert.deepEqual(await counts(page), { presses: 0, wakes: 1 });
    await page.touchscreen.tap(960, 540);
    assert.deepEqual(await counts(page), { presses: 1, wakes: 1 });
    await context.close();
  });

  it('swallows the first mouse click and the first key', async () => {
    const context = await browser.newContext(KIOSK);
    const page = await context.newPage();
    await page.goto(url);
    await page.evaluate(scripts.wakeOverlay);
    await page.mouse.click(300, 300);
    assert.deepEqual(await counts(page), { presses: 0, wakes: 1 });
    assert.equal(await page.locator('#espace-kiosk-wake-overlay').count(), 0);
    await page.mouse.click(300, 300);
    assert.deepEqual(await counts(page), { presses: 1, wakes: 1 });

    await page.evaluate(scripts.wakeOverlay);
    await page.focus('#start');
    await page.keyboard.press('Enter');
    assert.deepEqual(await counts(page), { presses: 1, wakes: 2 }, 'Enter only woke the screen');
    await page.keyboard.press('Enter');
    assert.deepEqual(await counts(page), { presses: 2, wakes: 2 });
    await context.close();
  });
});
