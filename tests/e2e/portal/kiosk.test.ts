import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { KIOSK, launchBrowser, startTestHub, watchForeignRequests, type TestHub } from '../../support/index.js';
import { assertAccessible, assertNoLinkLeaves, watchCspViolations } from './helpers.js';

describe('the kiosk layout at 1920×1080', () => {
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let csp: string[];

  before(async () => {
    hub = await startTestHub({ seedDemo: true, wifi: { ssid: 'Espace;Kayes', passphrase: 'kalan-2026' }, dnsName: 'espace.home.arpa' });
    browser = await launchBrowser();
    context = await browser.newContext({ ...KIOSK });
    foreign = watchForeignRequests(context, hub.url);
    // The Electron preload's bridge, as the page sees it.
    // (A string, so the test runner's transpiler adds nothing the page lacks.)
    await context.addInitScript('window.beats = 0; window.espaceKiosk = { heartbeat: function () { window.beats += 1; } };');
    page = await context.newPage();
    csp = watchCspViolations(page);
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('opens on the attract loop, and a touch brings the portal', async () => {
    await page.goto(`${hub.url}/kiosk`);
    const attract = page.locator('[data-attract]');
    await attract.waitFor({ state: 'visible' });
    assert.ok((await attract.locator('.slide').count()) >= 2, 'announcements and events in the loop');
    assert.equal(await attract.locator('.slide.on').count(), 1);
    await page.mouse.click(960, 540);
    await attract.waitFor({ state: 'hidden' });
    assert.equal(await page.getAttribute('body', 'class').then((c) => c?.includes('kiosk')), true);
    await assertAccessible(page, 'kiosk home');
    await assertNoLinkLeaves(page, hub.url);
  });

  it('shows the time, the sync state and the QR codes to continue on a phone', async () => {
    assert.match(await page.locator('#clock').innerText(), /^\d{2}:\d{2}$/);
    await page.waitForFunction(() => document.getElementById('sync')?.textContent !== '');
    assert.match(await page.locator('#sync').innerText(), /^(—|✓ \d{2}:\d{2})$/);
    assert.equal(await page.locator('svg.qr').count(), 2);
    const qrs = await page.locator('.qrs').innerText();
    assert.match(qrs, /Espace;Kayes/);
    assert.match(qrs, /http:\/\/espace\.home\.arpa\//);
  });

  it('calls the kiosk heartbeat every few seconds', async () => {
    await page.waitForFunction(() => (window as unknown as { beats: number }).beats >= 1, undefined, { timeout: 12_000 });
  });

  it('shows every section in the large layout, with nothing leaving the hub', async () => {
    for (const path of ['/apprendre', '/sinformer', '/elus', '/organisations', '/participer', '/inscription', '/agenda']) {
      await page.goto(hub.url + path);
      assert.ok(await page.locator('body.kiosk').count(), `${path} in kiosk layout`);
      assert.ok((await page.locator('main').innerText()).length > 200, `${path} shows content`);
      assert.ok(await page.locator('.corner #clock').count(), `${path} has the corner`);
      await assertNoLinkLeaves(page, hub.url);
    }
    // The large type is really larger.
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 24, `kiosk body text is ${size}px`);
    await assertAccessible(page, 'kiosk agenda');
    await page.goto(`${hub.url}/participer`);
    await assertAccessible(page, 'kiosk participate');
  });

  it('made no request to any host but the hub, and broke no CSP rule', () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(csp, []);
  });
});
