import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchOnPhoneOrigin, PHONE, startTestHub, type TestHub } from '../../support/index.js';
import { assertAccessible } from './helpers.js';

/**
 * What a visitor's phone shows, measured in Chromium at 360×640 on the phone's own origin
 * (http://espace.home.arpa:PORT/, not a secure context): the Bambara header, the vote's
 * radios and results, the quiz checked by the hub, page lengths.
 */
describe('a visitor’s phone: header, vote, quiz, page lengths', () => {
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;

  before(async () => {
    hub = await startTestHub({ seedDemo: true });
    const port = new URL(hub.url).port;
    origin = `http://espace.home.arpa:${port}`;
    browser = await launchOnPhoneOrigin();
    context = await browser.newContext({ ...PHONE });
    await context.addCookies([{ name: 'lang', value: 'bm', url: origin }]);
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('the Bambara header fits in 120 px; the vote’s radios are 24 px in 48 px rows and no result label covers a figure', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/participer/priorites-pdesc-kayes`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false, 'the phone origin is not a secure context');
    const header = await page.locator('header.top').boundingBox();
    assert.ok(header && header.height <= 120, `header ${header?.height} px`);
    // The optional questions are shown, not folded.
    assert.ok(await page.locator('fieldset#sex').isVisible());
    assert.ok(await page.locator('fieldset#ageBand').isVisible());
    for (const input of await page.locator('.option input[type=radio], .pill input[type=radio]').all()) {
      const box = (await input.boundingBox())!;
      assert.ok(box.width >= 24 && box.height >= 24, `radio ${box.width}×${box.height}`);
    }
    for (const label of await page.locator('.option label').all()) {
      const box = (await label.boundingBox())!;
      assert.ok(box.height >= 48, `option row ${box.height} px`);
    }
    await assertAccessible(page, 'a consultation in Bambara');
    // Vote, then read the results: each label's box must not overlap its figure's.
    await page.locator('.option input[type=radio]').first().check();
    await page.locator('form.vote button[type=submit]').click();
    await page.waitForSelector('#resultats');
    const rows = await page.locator('#resultats .barrow').all();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const dt = (await row.locator('dt').boundingBox())!;
      const b = (await row.locator('dd b').boundingBox())!;
      const overlap = dt.x < b.x + b.width && b.x < dt.x + dt.width && dt.y < b.y + b.height && b.y < dt.y + dt.height;
      assert.equal(overlap, false, 'a result label covers its percentage');
    }
    await page.close();
  });

  it('a quiz answer is checked by the hub when chosen, and the page held no answer before', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/apprendre/quiz/gouverner-une-collectivite`);
    const source = await page.content();
    assert.doesNotMatch(source, /data-ok|data-answer/);
    const first = page.locator('[data-question="0"] input[type=radio]').first();
    await first.check();
    await page.waitForSelector('[data-question="0"] [data-feedback] .notice');
    const verdict = await page.locator('[data-question="0"] [data-feedback]').innerText();
    assert.ok(verdict.length > 0);
    await page.close();
  });

  it('the long pages get shorter on a phone: S’informer shows one commune’s figures, with filters', async () => {
    const page = await context.newPage();
    const heights: Record<string, number> = {};
    for (const path of ['/', '/sinformer', '/organisations']) {
      await page.goto(`${origin}${path}`);
      heights[path] = await page.evaluate(() => document.documentElement.scrollHeight);
    }
    await page.goto(`${origin}/sinformer`);
    assert.ok(await page.locator('form.filters select#commune').isVisible());
    assert.ok(await page.locator('form.filters select#type').isVisible());
    assert.ok(heights['/sinformer']! < 9000, `S'informer ${heights['/sinformer']} px`);
    assert.ok(heights['/']! < 4500, `home ${heights['/']} px`);
    await page.close();
  });
});
