import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { KIOSK, launchBrowser, PHONE, type TestHub } from '../../support/index.js';
import { PASSWORDS, startConsoleHub, USERS, submit } from '../../integration/admin/console.js';

async function logIn(page: Page, base: string, role: 'facilitator' | 'technician'): Promise<void> {
  await page.goto(`${base}/admin/login`);
  await page.fill('#username', USERS[role]);
  await page.fill('#password', PASSWORDS[role]);
  await Promise.all([page.waitForURL(`${base}/admin`), page.click('button[type=submit]')]);
}

describe('the console on a phone without JavaScript, and on paper', () => {
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    hub = await startConsoleHub();
    for (const [fullName, sex, ageBand] of [
      ['Fatoumata Camara', 'F', '15-24'],
      ['Fatou Keita', 'F', '25-35'],
      ['Bakary Traoré', 'M', '36-59'],
    ])
      await submit(hub, 'registration', { fullName, sex, ageBand, commune: 'kayes', consent: true });
    browser = await launchBrowser();
    context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    page = await context.newPage();
    await logIn(page, hub.url, 'facilitator');
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await hub?.stop();
  });

  it('takes attendance with a few taps: search, "Présent·e", or sex and age for someone not registered', async (t) => {
    const timings: number[] = [];
    await page.goto(`${hub.url}/admin/events/formation-budget`);
    for (const q of ['fatou', 'bakary']) {
      const start = Date.now();
      await page.fill('#q', q);
      await Promise.all([page.waitForLoadState('load'), page.press('#q', 'Enter')]);
      await page.waitForSelector('.found button');
      await Promise.all([page.waitForURL(/formation-budget$/), page.locator('.found button').first().click()]);
      timings.push(Date.now() - start);
      assert.match(await page.locator('.flash').innerText(), /Présence enregistrée/);
    }
    await page.check('input[name=sex][value=F]');
    await page.selectOption('#ageBand', '15-24');
    await Promise.all([page.waitForURL(/formation-budget$/), page.click('.anonymous button')]);
    assert.match(await page.locator('h2').nth(1).innerText(), /Présent·es \(3\)/);
    const big = await page.locator('.anonymous button').boundingBox();
    assert.ok(big && big.height >= 44, `the add button is a finger-sized target (${big?.height}px)`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling on a 360 px phone (${overflow}px)`);
    t.diagnostic(`search then mark present (headless Chromium, loopback, no JavaScript): ${timings.join(' ms, ')} ms`);
  });

  it('has no serious accessibility violations on the attendance and indicators pages', async () => {
    const ctx = await browser.newContext({ ...KIOSK });
    const p = await ctx.newPage();
    await logIn(p, hub.url, 'facilitator');
    for (const path of ['/admin/events/formation-budget', '/admin/indicators', '/admin/members']) {
      await p.goto(hub.url + path);
      const result = await new AxeBuilder({ page: p }).analyze();
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
        path
      );
    }
    await ctx.close();
  });

  it('prints the monthly report on one A4 page, without the navigation', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await logIn(p, hub.url, 'facilitator');
    const month = new Date().toISOString().slice(0, 7);
    await p.goto(`${hub.url}/admin/report?month=${month}`);
    await p.emulateMedia({ media: 'print' });
    assert.equal(await p.locator('header.top nav').isVisible(), false);
    const pdf = await p.pdf({ format: 'A4', printBackground: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    assert.equal(pages, 1, `the report prints on ${pages} page(s)`);
    await p.goto(`${hub.url}/admin/events/formation-budget/sheet`);
    assert.equal(await p.locator('.print-only').isVisible(), true, 'the sheet says when it was printed');
    await ctx.close();
  });
});
