import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../../hub/config/index.js';
import { loadPageScripts } from '../../../kiosk/page-scripts.js';
import { launchBrowser, KIOSK } from '../../support/browser.js';
import { startTestHub, type TestHub } from '../../support/hub.js';

const scripts = loadPageScripts(join(projectRoot(), 'kiosk', 'pages'));

/** A visitor's traces in every kind of browser storage, on the hub's origin. */
async function leaveTraces(page: Page): Promise<void> {
  await page.evaluate(async () => {
    localStorage.setItem('visitor', 'Awa');
    sessionStorage.setItem('draft', 'message to the mayor');
    document.cookie = 'lang=bm; max-age=3600; path=/';
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('visitor-db', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('answers');
      open.onsuccess = () => {
        const tx = open.result.transaction('answers', 'readwrite');
        tx.objectStore('answers').put('yes', 'q1');
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
      };
      open.onerror = () => reject(open.error ?? new Error('the database did not open'));
    });
  });
}

async function traces(page: Page) {
  const inPage = await page.evaluate(async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    cookie: document.cookie,
    indexedDB: (await indexedDB.databases()).map((d) => d.name),
  }));
  return { ...inPage, cookies: (await page.context().cookies()).map((c) => c.name) };
}

/**
 * The steps of the kiosk's idle reset, through Chromium's DevTools protocol: the page's own
 * part (the same script the main process runs), then what Electron's
 * session.clearStorageData(), clearCache() and loadURL(start) do.
 */
async function idleReset(page: Page, origin: string, startUrl: string, withPageScript = true): Promise<void> {
  if (withPageScript) await page.evaluate(scripts.pageReset);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  await cdp.send('Network.clearBrowserCookies');
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await page.goto(startUrl);
}

describe('kiosk idle reset in Chromium', () => {
  let browser: Browser;
  let hub: TestHub;

  before(async () => {
    [browser, hub] = await Promise.all([launchBrowser(), startTestHub()]);
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('leaves localStorage, sessionStorage, cookies and IndexedDB empty for the next visitor', async () => {
    const context = await browser.newContext(KIOSK);
    const page = await context.newPage();
    await page.goto(`${hub.url}/health`);
    await leaveTraces(page);
    const before = await traces(page);
    assert.equal(before.localStorage, 1);
    assert.equal(before.sessionStorage, 1);
    assert.match(before.cookie, /lang=bm/);
    assert.deepEqual(before.indexedDB, ['visitor-db']);
    assert.deepEqual(before.cookies, ['lang']);

    await idleReset(page, hub.url, `${hub.url}/health`);
    assert.deepEqual(await traces(page), { localStorage: 0, sessionStorage: 0, cookie: '', indexedDB: [], cookies: [] });
    await context.close();
  });

  it('clears local and session storage from inside the page too, even before the session is cleared', async () => {
    const context = await browser.newContext(KIOSK);
    const page = await context.newPage();
    await page.goto(`${hub.url}/health`);
    await leaveTraces(page);
    await page.evaluate(scripts.pageReset);
    const left = await traces(page);
    assert.equal(left.localStorage, 0);
    assert.equal(left.sessionStorage, 0);
    await context.close();
  });

  it('stops media that was playing', async () => {
    const context = await browser.newContext(KIOSK);
    const page = await context.newPage();
    await page.goto(`${hub.url}/health`);
    const playing = await page.evaluate(async () => {
      const audio = document.createElement('audio');
      // A second of silence (WAV) made in the page: nothing is fetched.
      const samples = 8000;
      const buf = new ArrayBuffer(44 + samples);
      const v = new DataView(buf);
      // (No named helper functions in here: the test runner's compiler would wrap them.)
      for (const [at, text] of [
        [0, 'RIFF'],
        [8, 'WAVE'],
        [12, 'fmt '],
        [36, 'data'],
      ] as const) {
        for (let i = 0; i < text.length; i += 1) v.setUint8(at + i, text.charCodeAt(i));
      }
      v.setUint32(4, 36 + samples, true);
      v.setUint32(16, 16, true);
      v.setUint16(20, 1, true);
      v.setUint16(22, 1, true);
      v.setUint32(24, 8000, true);
      v.setUint32(28, 8000, true);
      v.setUint16(32, 1, true);
      v.setUint16(34, 8, true);
      v.setUint32(40, samples, true);
      for (let i = 0; i < samples; i += 1) v.setUint8(44 + i, 128);
      audio.src = URL.createObjectURL(new Blob([buf], { type: 'audio/wav' }));
      audio.loop = true;
      audio.muted = true;
      document.body.appendChild(audio);
      await audio.play();
      return !audio.paused;
    });
    assert.equal(playing, true);
    await page.evaluate(scripts.pageReset);
    const after = await page.evaluate(() => {
      const audio = document.querySelector('audio')!;
      return { paused: audio.paused, src: audio.getAttribute('src') };
    });
    assert.deepEqual(after, { paused: true, src: null });
    await context.close();
  });
});
