import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../../hub/config/index.js';
import { launchBrowser, KIOSK, watchForeignRequests } from '../../support/browser.js';
import { startTestHub, type TestHub } from '../../support/hub.js';
import { freePort, servePages } from './serve-pages.js';

describe('kiosk offline page in Chromium', () => {
  let browser: Browser;
  let pages: Awaited<ReturnType<typeof servePages>>;
  let hub: TestHub | undefined;
  let hubPort: number;

  before(async () => {
    browser = await launchBrowser();
    hubPort = await freePort();
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    pages = await servePages({ dir: join(projectRoot(), 'kiosk', 'pages'), hubUrl, startUrl: `${hubUrl}/kiosk`, retrySeconds: 4, healthTimeoutMs: 1000 });
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await hub?.stop();
  });

  it('speaks French and Bambara, counts down, and goes back to the portal as soon as the hub answers', async (t) => {
    const context = await browser.newContext(KIOSK);
    const foreign = watchForeignRequests(context, pages.url);
    const page = await context.newPage();
    const response = await page.goto(`${pages.url}/offline.html`);
    assert.match(response!.headers()['content-security-policy'] ?? '', /default-src 'none'/);

    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.match(await page.locator('section[lang="fr"] h1').innerText(), /Un instant/);
    assert.match(await page.locator('section[lang="bm"] h1').innerText(), /muɲu/);
    assert.equal(await page.locator('section[lang="bm"] h1').isVisible(), true);
    assert.equal(await page.locator('section[lang="fr"]').isVisible(), true);

    // The hub is down: the first check fails and the count starts from 4, then goes down.
    const seconds = page.locator('section[lang="fr"] [data-countdown]');
    await page.waitForFunction(() => document.querySelector('[data-countdown]')?.textContent === '3', undefined, { timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('[data-countdown]')?.textContent === '2', undefined, { timeout: 3000 });
    assert.equal(await page.locator('section[lang="bm"] [data-countdown]').innerText(), await seconds.innerText(), 'both languages count together');
    assert.match(page.url(), /offline\.html$/, 'still offline while the hub is down');
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.help}`),
      [],
      'no accessibility violations'
    );

    // The hub comes back on its address: the page returns to the portal at the next check.
    hub = await startTestHub({ port: hubPort });
    // Timed from when the hub listens (starting it takes seconds on a loaded machine): the next
    // check (every 4 s, 1 s timeout) finds it, then the portal loads.
    const startedAt = Date.now();
    await page.waitForURL(`http://127.0.0.1:${hubPort}/kiosk`, { timeout: 20_000 });
    const ms = Date.now() - startedAt;
    assert.ok(ms <= 4000 + 1000 + 3000, `back on the portal ${ms} ms after the hub came back: more than one check`);
    t.diagnostic(`back on the portal ${ms} ms after the hub started listening (checks every 4 s)`);
    assert.deepEqual(
      foreign.filter((u) => !u.startsWith(`http://127.0.0.1:${hubPort}/`)),
      [],
      'nothing loaded from anywhere else'
    );
    await context.close();
  });
});
