import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, PHONE, type TestHub } from '../../support/index.js';
import { login, PASSWORDS, startConsoleHub, USERS, submit } from '../../integration/admin/console.js';

const ATTACKS = {
  name: '<img src=x onerror="window.__xss=1">',
  organisation: '<script>window.__xss=2</script>',
  message: '<script>window.__xss=3</script><img src=x onerror=alert(3)>',
  contact: '"><svg onload=alert(4)>',
  eventTitle: '<img src=x onerror="window.__xss=5;alert(5)">',
  place: '</td><script>alert(6)</script>',
  question: '<script>alert(7)</script>?',
  option: '<b onmouseover=alert(8)>oui</b>',
  answer: '<iframe src="javascript:alert(9)"></iframe>',
  query: '<img src=x onerror=alert(10)>',
};

describe('stored XSS attempts are shown escaped in the console (Chromium)', () => {
  let hub: TestHub;
  let browser: Browser;
  const paths: string[] = [];

  before(async () => {
    hub = await startConsoleHub();
    const member = await submit(hub, 'registration', {
      fullName: ATTACKS.name,
      organisation: ATTACKS.organisation,
      sex: 'F',
      ageBand: '15-24',
      commune: 'kayes',
      consent: true,
    });
    const message = await submit(hub, 'feedback', { official: 'official:kayes-maire', message: ATTACKS.message, contact: ATTACKS.contact });
    const f = await login(hub.url, 'facilitator');
    const event = await f.post('/admin/events', {
      title: ATTACKS.eventTitle,
      kind: 'atelier',
      startsAt: '2026-12-01T09:00',
      place: ATTACKS.place,
      commune: 'kayes',
      capacity: '10',
    });
    const eventUrl = event.headers.get('location')!;
    assert.equal((await f.post(`${eventUrl}/attendance`, { member })).status, 303);
    const consultation = await f.post('/admin/consultations', { question: ATTACKS.question, options: `${ATTACKS.option}\nnon`, closesAt: '2030-01-01' });
    assert.equal(consultation.status, 303, await consultation.clone().text());
    assert.equal((await f.post(`/admin/messages/${encodeURIComponent(message)}`, { action: 'answer', answer: ATTACKS.answer })).status, 303);
    paths.push(
      '/admin',
      '/admin/members',
      `/admin/members?q=${encodeURIComponent(ATTACKS.query)}`,
      `/admin/members/${encodeURIComponent(member)}`,
      '/admin/events',
      eventUrl,
      `${eventUrl}?q=${encodeURIComponent('img')}`,
      `${eventUrl}?q=${encodeURIComponent(ATTACKS.query)}`,
      `${eventUrl}/sheet`,
      '/admin/messages?status=all',
      '/admin/consultations',
      consultation.headers.get('location')!,
      '/admin/audit'
    );
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('runs no injected script on any console page, and shows the text literally', async () => {
    const context = await browser.newContext({ ...PHONE });
    const dialogs: string[] = [];
    const page: Page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${hub.url}/admin/login`);
    await page.fill('#username', USERS.technician);
    await page.fill('#password', PASSWORDS.technician);
    await Promise.all([page.waitForURL(`${hub.url}/admin`), page.click('button[type=submit]')]);
    const seen = new Set<string>();
    for (const path of paths) {
      await page.goto(hub.url + path);
      await page.mouse.move(10, 10);
      await page.hover('main').catch(() => undefined);
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, `${path}: a script ran`);
      assert.equal(
        await page.locator('main script, main img[src="x"], main svg[onload], main iframe, main b[onmouseover]').count(),
        0,
        `${path}: injected markup became elements`
      );
      const text = await page.locator('body').innerText();
      for (const [k, v] of Object.entries(ATTACKS)) if (text.includes(v.trim().split('\n')[0]!)) seen.add(k);
    }
    assert.deepEqual(dialogs, [], 'no dialog fired');
    for (const k of ['name', 'organisation', 'message', 'contact', 'eventTitle', 'place', 'question', 'option', 'answer', 'query']) {
      assert.ok(seen.has(k), `${k} is shown as text somewhere`);
    }
    await context.close();
  });
});
