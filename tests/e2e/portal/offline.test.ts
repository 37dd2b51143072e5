import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, PHONE, startTestHub, watchForeignRequests, type TestHub } from '../../support/index.js';
import { assertAccessible } from './helpers.js';

describe('take it home: a course kept offline opens with the hub gone', () => {
  let hub: TestHub | undefined;
  let browser: Browser;
  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('keeps a course, lists it with the storage used, and reopens it after the server stops', async () => {
    const url = hub!.url;
    const context = await browser.newContext({ ...PHONE });
    const foreign = watchForeignRequests(context, url);
    await context.addCookies([{ name: 'lang', value: 'fr', url }]);
    const page = await context.newPage();
    await page.goto(`${url}/apprendre/alphabetisation-numerique`);
    // The service worker takes control, then the keep button appears.
    await page.evaluate(() => navigator.serviceWorker.ready);
    const keep = page.getByRole('button', { name: 'Garder hors-ligne' });
    await keep.waitFor();
    await keep.click();
    await page.locator('.keepstate', { hasText: 'Gardé sur ce téléphone' }).waitFor({ timeout: 30_000 });
    const kept = await page.evaluate(async () => {
      const cache = await caches.open('kept:course:alphabetisation-numerique');
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    assert.ok(kept.includes('/apprendre/alphabetisation-numerique/1'), 'lesson pages are kept');
    assert.ok(
      kept.some((p) => p.startsWith('/media/')),
      'media are kept'
    );

    await page.goto(`${url}/hors-ligne`);
    await page.locator('[data-items] a', { hasText: /./ }).first().waitFor();
    assert.match(await page.locator('[data-usage]').innerText(), /Mémoire utilisée : [\d,]+ (Ko|Mo)/);
    await assertAccessible(page, 'kept list');

    // Cut the hub: nothing answers on its port any more.
    await hub!.stop();
    hub = undefined;
    await page.goto(`${url}/apprendre/alphabetisation-numerique`);
    assert.match(await page.locator('h1').first().innerText(), /\S/);
    await page.locator('.lessons a').first().click();
    await page.waitForURL(`${url}/apprendre/alphabetisation-numerique/1`);
    assert.ok((await page.locator('main article.lesson').innerText()).length > 50, 'the lesson reads offline');
    const audio = page.locator('audio').first();
    if (await audio.count()) {
      const playable = await audio.evaluate(async (el: HTMLAudioElement) => {
        el.preload = 'auto';
        el.load();
        return new Promise<boolean>((resolve) => {
          el.addEventListener('canplay', () => resolve(true), { once: true });
          el.addEventListener('error', () => resolve(false), { once: true });
          setTimeout(() => resolve(false), 8000);
        });
      });
      assert.ok(playable, 'the kept narration plays offline');
    }
    // A page that was not kept says so instead of the browser's error.
    await page.goto(`${url}/organisations`);
    assert.match(await page.locator('body').innerText(), /pas gardée sur ce téléphone/);

    // Removing the kept course frees it.
    await page.goto(`${url}/hors-ligne`);
    await page
      .getByRole('button', { name: /Retirer/ })
      .first()
      .click();
    await page.waitForFunction(async () => !(await caches.has('kept:course:alphabetisation-numerique')));
    assert.deepEqual(foreign, []);
    await context.close();
  });
});
