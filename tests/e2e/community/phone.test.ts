import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { approvePost, callAs, moderationQueue, processCommunity } from '../../../provisioning/central/community/index.js';
import { createCommunityUser } from '../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../support/central.js';
import { frenchVoice, launchOnPhoneOrigin, makeMember, PHONE, publishTopics, startTestHub, type TestHub } from '../../support/index.js';

const NAME = 'espace.home.arpa';

/** Chromium as a phone on the space's Wi-Fi: the hub's real name, plain HTTP (not a secure context). */
const launchPhoneBrowser = (): Promise<Browser> => launchOnPhoneOrigin([NAME], ['--autoplay-policy=no-user-gesture-required']);

const origin = (hub: TestHub) => `http://${NAME}:${new URL(hub.url).port}`;

describe('community on a 360×640 phone at http://espace.home.arpa', () => {
  let central: TestCentral;
  let a: TestHub;
  let b: TestHub;
  let browser: Browser;
  let page: Page;
  let code: string;
  let thread: string;

  before(async () => {
    central = await startTestCentral();
    await createCommunityUser(central.url, central.admin, 'moussa', 'moderator-password', 'moderator');
    await publishTopics(central);
    const ea = await central.enroll('bafoulabe-01');
    const eb = await central.enroll('kita-01');
    a = await startTestHub({ hubId: 'bafoulabe-01', central: { url: central.url, username: ea.username, password: ea.password } });
    b = await startTestHub({ hubId: 'kita-01', central: { url: central.url, username: eb.username, password: eb.password } });
    await Promise.all([a.deps.sync.runNow('test'), b.deps.sync.runNow('test')]);
    code = (await makeMember(a, 'Assa')).code;
    browser = await launchPhoneBrowser();
    page = await (await browser.newContext({ ...PHONE })).newPage();
  });
  after(async () => {
    await browser?.close();
    await a?.stop();
    await b?.stop();
    await central?.stop();
  });

  it("signs in from the card's address and posts text and a recorded file (file capture: no recorder on plain HTTP); a script in it never runs", async () => {
    await page.goto(`${origin(a)}/membre?code=${code}`);
    assert.equal(await page.evaluate(() => window.isSecureContext), false, 'a phone on the Wi-Fi is not a secure context');
    assert.equal(await page.inputValue('#code'), code);
    await page.fill('#pin', '2468');
    await page.click('form[action="/membre"] button[type=submit]');
    await page.waitForURL(/\/communaute$/);
    await page.click('text=Budget participatif');
    await page.waitForURL(/\/communaute\/sujet\/budget-participatif$/);
    assert.equal(await page.isVisible('#voice'), true, 'the file picker (capture) is offered');
    assert.equal(await page.isVisible('[data-recorder-box]'), false, 'no recorder without a secure context');
    await page.fill('#title', 'Notre budget');
    await page.fill('#text', 'Écoutez-moi <script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">');
    await page.setInputFiles('#voice', { name: 'voix.opus', mimeType: 'audio/ogg', buffer: frenchVoice() });
    await page.click('button:has-text("Publier")');
    await page.waitForURL(/\/communaute\/fil\//);
    thread = decodeURIComponent(/\/fil\/([^?#]+)/.exec(page.url())![1]!);
    assert.match(await page.innerText('.posts'), /en attente/);
    assert.match(await page.innerText('.posts'), /<script>window\.pwned = 1<\/script>/);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no sideways scrolling at 360 px (${width})`);
  });

  it('once approved at central, hub B shows it as published and its recording plays on the phone', async () => {
    await a.deps.sync.runNow('test');
    const moderator = callAs(central.url, { username: 'moussa', password: 'moderator-password' });
    await central.settled(); // CouchDB's replicator merges a moment after the push
    await processCommunity(moderator, { preModeratedPosts: 3, flagsToHide: 3 });
    assert.ok((await moderationQueue(moderator)).some((q) => q.post === thread));
    await approvePost(moderator, thread, 'moussa');
    await b.deps.sync.runNow('test');
    await page.goto(`${origin(b)}/communaute/fil/${encodeURIComponent(thread)}`);
    assert.match(await page.innerText('.posts'), /publié/);
    const played = await page.evaluate(async () => {
      const audio = document.querySelector('audio.voice') as HTMLAudioElement;
      audio.preload = 'auto';
      await audio.play();
      await new Promise((r) => setTimeout(r, 300));
      return { duration: audio.duration, error: audio.error?.code ?? null, time: audio.currentTime };
    });
    assert.equal(played.error, null);
    assert.ok(played.duration > 1, `a voice recording of a few seconds (${played.duration})`);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  });
});
