import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadConfig, projectRoot } from '../../../hub/config/index.js';
import { silentLogger } from '../../../hub/log/index.js';
import { CHANNELS } from '../../../kiosk/ipc.js';
import { startKiosk, type KioskHandle } from '../../../kiosk/main.js';
import { SystemdNotifier } from '../../../content/index.js';
import { launchBrowser, KIOSK } from '../../support/browser.js';
import { startTestHub, type TestHub } from '../../support/hub.js';
import { FakeElectron } from '../../unit/kiosk/fake-electron.js';
import { servePages } from './serve-pages.js';

const PAGES = join(projectRoot(), 'kiosk', 'pages');
const TECH = 'espace-kiosk://app/technician.html';

/**
 * The technician page in Chromium, talking to the real main process (over the recording
 * Electron fake): the bridge the preload would expose forwards each call as an IPC message
 * from the technician page.
 */
describe('kiosk technician screen in Chromium', () => {
  let browser: Browser;
  let hub: TestHub;
  let pages: Awaited<ReturnType<typeof servePages>>;
  let kiosk: KioskHandle | undefined;
  const electron = new FakeElectron();

  before(async () => {
    [browser, hub] = await Promise.all([launchBrowser(), startTestHub()]);
    const log = silentLogger();
    const allDay = [{ from: '00:00', to: '00:00' }];
    const openingHours = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
    const config = loadConfig({ env: {}, overrides: { kiosk: { hubUrl: hub.url, pin: '97531', openingHours } } });
    kiosk = await startKiosk(electron.api, {
      config,
      log,
      display: { name: 'page-only', reason: 'test', set: async () => {} },
      notifier: new SystemdNotifier(undefined, log),
      preloadPath: '/unused/preload.cjs',
      pagesDir: PAGES,
      timings: { tickMs: 1e9 },
    });
    pages = await servePages({ dir: PAGES, hubUrl: hub.url, startUrl: `${hub.url}/kiosk`, retrySeconds: 10 });
  });
  after(async () => {
    kiosk?.stop();
    await browser?.close();
    await pages?.close();
    await hub?.stop();
  });

  it('asks for the PIN, then shows the hub, the version and the addresses; close goes back to the portal', async () => {
    const context = await browser.newContext({ ...KIOSK, hasTouch: true });
    await context.exposeFunction('kioskInvoke', (channel: string, arg?: string) => electron.ipcMain.invoke(channel, TECH, arg));
    await context.addInitScript(`window.espaceKiosk = { technician: {
      unlock: (pin) => window.kioskInvoke('${CHANNELS.unlock}', pin),
      status: () => window.kioskInvoke('${CHANNELS.status}'),
      act: (action) => window.kioskInvoke('${CHANNELS.action}', action).then(() => undefined),
    } };`);
    const page = await context.newPage();
    await page.goto(`${pages.url}/technician.html`);
    assert.equal(await page.locator('#pad button').count(), 12);
    assert.equal(await page.locator('#status').isVisible(), false);

    for (const digit of ['1', '2', '3', '4']) await page.locator('#pad button', { hasText: new RegExp(`^${digit}$`) }).tap();
    await page.locator('#pad button', { hasText: 'OK' }).tap();
    await page.waitForFunction(() => /Code faux \(4 essais restants\)/.test(document.getElementById('pin-message')?.textContent ?? ''));
    assert.equal(await page.locator('#status').isVisible(), false);

    for (const digit of ['9', '7', '5', '3', '1']) await page.locator('#pad button', { hasText: new RegExp(`^${digit}$`) }).tap();
    await page.locator('#pad button', { hasText: 'OK' }).tap();
    await page.locator('#status').waitFor({ state: 'visible' });
    await page.waitForFunction(() => (document.getElementById('status-list')?.textContent ?? '').includes('répond'));
    const text = await page.locator('#status-list').innerText();
    assert.match(text, /Version\s+\d+\.\d+\.\d+/);
    assert.match(text, new RegExp(`Hub\\s+${hub.url.replace(/[.:/]/g, '\\$&')} — répond \\(ok, version \\d+\\.\\d+\\.\\d+\\)`));
    assert.match(text, /Adresses IP/);
    // The real hub answers /api/v1/sync: summarised, not dumped.
    assert.match(text, /Synchronisation\s+(désactivée|activée|en cours)/);
    assert.doesNotMatch(text, /[{}]/);
    assert.equal(await page.locator('#leave').isVisible(), false, 'one way out: Fermer');
    assert.match(text, /Écran\s+on/);
    assert.match(text, /Reprises\s+0 rechargements, 0 fenêtres recréées/);

    await page.locator('#status button[data-action="close"]').tap();
    for (let i = 0; i < 40 && electron.window.webContents.url !== `${hub.url}/kiosk`; i += 1) await new Promise((r) => setTimeout(r, 50));
    assert.equal(electron.window.webContents.url, `${hub.url}/kiosk`, 'back to the portal, storage cleared');
    assert.ok(electron.sessions.get('kiosk')!.calls.includes('clearStorageData'));
    await context.close();
  });
});
