import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../../hub/config/index.js';
import { CHANNELS } from '../../../kiosk/ipc.js';
import { launchBrowser, KIOSK } from '../../support/browser.js';

const PRELOAD = join(projectRoot(), 'dist', 'kiosk', 'preload.cjs');

/**
 * The compiled preload, run in Chromium the way Electron runs a sandboxed preload: its text
 * wrapped in a function that receives a `require` giving only 'electron' (here a recording
 * stand-in for contextBridge and ipcRenderer), `exports` and `module`.
 */
const HARNESS = (src: string) => `
window.sent = [];
var electron = {
  contextBridge: { exposeInMainWorld: function (key, api) { window[key] = api; } },
  ipcRenderer: {
    send: function () { window.sent.push(Array.prototype.slice.call(arguments)); },
    invoke: function () { window.sent.push(Array.prototype.slice.call(arguments)); return Promise.resolve({ ok: true }); }
  }
};
var sandboxRequire = function (name) {
  if (name === 'electron') return electron;
  throw new Error('a sandboxed preload cannot require ' + name);
};
var preload = (0, eval)('(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\\n' + ${JSON.stringify(src)} + '\\n})');
preload(sandboxRequire, {}, undefined, window, setTimeout, clearTimeout, {}, { exports: {} });
`;

describe('kiosk preload in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  before(async () => {
    browser = await launchBrowser();
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="fr"><body><p>page</p></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('runs as a sandboxed script, exposes the bridge, pings, and reports touches and keys on the channels main listens to', async () => {
    assert.ok(existsSync(PRELOAD), 'the preload is built (make build)');
    const src = readFileSync(PRELOAD, 'utf8');
    const context = await browser.newContext({ ...KIOSK, hasTouch: true });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(url);
    await page.evaluate(HARNESS(src));
    const sent = () => page.evaluate<unknown[][]>('window.sent');

    assert.deepEqual(await page.evaluate('Object.keys(window.espaceKiosk).sort()'), ['activity', 'heartbeat', 'technician']);
    assert.deepEqual(await page.evaluate('Object.keys(window.espaceKiosk.technician).sort()'), ['act', 'status', 'unlock']);
    assert.deepEqual(await sent(), [[CHANNELS.heartbeat]], 'a first ping at once');

    await page.clock.runFor(5000);
    assert.deepEqual(await sent(), [[CHANNELS.heartbeat], [CHANNELS.heartbeat]], 'then every 5 s');

    await page.touchscreen.tap(20, 30);
    await page.keyboard.press('a');
    const [, , tap, key] = await sent();
    assert.deepEqual(tap, [CHANNELS.activity, { x: 20, y: 30 }]);
    assert.deepEqual(key, [CHANNELS.activity, {}]);

    await page.evaluate(`window.espaceKiosk.technician.unlock(2468)`);
    await page.evaluate(`window.espaceKiosk.technician.status()`);
    await page.evaluate(`window.espaceKiosk.technician.act('reload')`);
    await page.evaluate(`window.espaceKiosk.activity({ x: 'left', y: 3 })`);
    assert.deepEqual((await sent()).slice(4), [[CHANNELS.unlock, '2468'], [CHANNELS.status], [CHANNELS.action, 'reload'], [CHANNELS.activity, {}]]);
    await context.close();
  });
});
