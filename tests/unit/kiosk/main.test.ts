import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { loadConfig, projectRoot } from '../../../hub/config/index.js';
import { silentLogger } from '../../../hub/log/index.js';
import type { DisplayBackend } from '../../../kiosk/display.js';
import { CHANNELS } from '../../../kiosk/ipc.js';
import { registerKioskScheme, startKiosk, type KioskHandle } from '../../../kiosk/main.js';
import { loadPageScripts } from '../../../kiosk/page-scripts.js';
import type { ScreenState } from '../../../kiosk/policy/schedule.js';
import { SystemdNotifier } from '../../../content/index.js';
import { FakeElectron, FakeEvent, FakeWebContents } from './fake-electron.js';

const HUB = 'http://127.0.0.1:8080';
const START = `${HUB}/kiosk`;
const OFFLINE = 'espace-kiosk://app/offline.html';
const BLANK = 'espace-kiosk://app/blank.html';
const TECH = 'espace-kiosk://app/technician.html';
const PAGES = join(projectRoot(), 'kiosk', 'pages');
const scripts = loadPageScripts(PAGES);
// 2026-11-23 is a Monday; the default hours open 08:00–18:00.
const MONDAY_NOON = new Date(2026, 10, 23, 12, 0);
const SUNDAY_NOON = new Date(2026, 10, 22, 12, 0);

const running: KioskHandle[] = [];
afterEach(() => running.splice(0).forEach((h) => h.stop()));

async function boot(options: { wall?: Date; lock?: boolean; kiosk?: Record<string, unknown> } = {}) {
  const electron = new FakeElectron({ singleInstanceLock: options.lock ?? true });
  const log = silentLogger();
  const config = loadConfig({ env: {}, overrides: { kiosk: { hubUrl: HUB, idleSeconds: 90, pin: '2468', ...options.kiosk } } });
  const t = { mono: 0, wall: options.wall ?? MONDAY_NOON };
  const screen: ScreenState[] = [];
  // The one stand-in besides Electron: the physical screen, recorded.
  const display: DisplayBackend = { name: 'page-only', reason: 'test screen', set: async (s) => void screen.push(s) };
  const handle = await startKiosk(electron.api, {
    config,
    log,
    display,
    notifier: new SystemdNotifier(undefined, log),
    preloadPath: '/opt/espace/dist/kiosk/preload.cjs',
    pagesDir: PAGES,
    timings: { tickMs: 1e9, ladder: { reloads: 2, recreates: 1, settleMs: 1000, coolDownMs: 600_000 } },
    clock: { mono: () => t.mono, wall: () => new Date(t.wall.getTime() + t.mono) },
  });
  if (handle) running.push(handle);
  const wc = () => electron.window.webContents;
  return {
    electron,
    handle: handle!,
    screen,
    wc,
    session: () => electron.sessions.get('kiosk')!,
    advance: (ms: number) => void (t.mono += ms),
    setWall: (d: Date) => void (t.wall = new Date(d.getTime() - t.mono)),
    beat: () => electron.ipcMain.send(CHANNELS.heartbeat, START),
  };
}

describe('kiosk main process: the window', () => {
  it("opens one kiosk window, isolated and sandboxed, on the hub's kiosk layout", async () => {
    const { electron, wc } = await boot();
    assert.equal(electron.windows.length, 1);
    const o = electron.window.options;
    assert.equal(o.kiosk, true);
    assert.equal(o.fullscreen, true);
    assert.equal(o.frame, false);
    const p = o.webPreferences;
    assert.equal(p.contextIsolation, true);
    assert.equal(p.sandbox, true);
    assert.equal(p.nodeIntegration, false);
    assert.equal(p.nodeIntegrationInWorker, false);
    assert.equal(p.nodeIntegrationInSubFrames, false);
    assert.equal(p.webSecurity, true);
    assert.equal(p.allowRunningInsecureContent, false);
    assert.equal(p.webviewTag, false);
    assert.equal(p.devTools, false);
    assert.equal(p.experimentalFeatures, false);
    assert.equal(p.navigateOnDragDrop, false);
    assert.equal(p.preload, '/opt/espace/dist/kiosk/preload.cjs');
    assert.equal(p.partition, 'kiosk');
    assert.ok(!p.partition.startsWith('persist:'), 'visitor data stays in memory');
    assert.deepEqual(wc().loads, [START]);
    assert.equal(electron.applicationMenu, null);
    electron.window.emit('ready-to-show');
    assert.equal(electron.window.shown, true);
  });

  it('takes the single-instance lock, and a second kiosk stops without a window', async () => {
    const first = await boot();
    assert.equal(first.electron.app.count('second-instance'), 1);
    first.electron.app.emit('second-instance');
    assert.equal(first.electron.window.focused, 1);
    const second = await boot({ lock: false });
    assert.equal(second.handle, undefined);
    assert.equal(second.electron.app.quits, 1);
    assert.equal(second.electron.windows.length, 0);
  });

  it('sets the switches against pinch and swipe navigation, and the low-memory ones only when asked', async () => {
    const normal = await boot();
    const names = normal.electron.app.switches.map(([n]) => n);
    assert.ok(names.includes('disable-pinch'));
    assert.deepEqual(
      normal.electron.app.switches.find(([n]) => n === 'overscroll-history-navigation'),
      ['overscroll-history-navigation', '0']
    );
    assert.ok(!names.includes('renderer-process-limit'));
    const small = await boot({ kiosk: { lowMemory: true } });
    assert.deepEqual(
      small.electron.app.switches.find(([n]) => n === 'renderer-process-limit'),
      ['renderer-process-limit', '1']
    );
    assert.ok(small.electron.app.switches.some(([n, v]) => n === 'js-flags' && /max-old-space-size/.test(v ?? '')));
  });

  it('registers its page scheme as standard and secure before start', () => {
    const electron = new FakeElectron();
    registerKioskScheme(electron.api);
    assert.deepEqual(electron.schemes, [{ scheme: 'espace-kiosk', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });
});

describe('kiosk main process: lock-down', () => {
  it('blocks navigation and redirects outside the hub origin', async () => {
    const { wc } = await boot();
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const) {
      assert.equal(wc().navigate(event, `${HUB}/courses`), false, `${event} within the hub`);
      for (const url of [
        'http://127.0.0.1.attacker:8080/',
        'http://127.0.0.1:8080@evil.example/',
        'http://127.0.0.1:8081/',
        'https://127.0.0.1:8080/',
        'javascript:alert(1)',
        'file:///etc/passwd',
        'data:text/html,x',
        TECH,
      ]) {
        assert.equal(wc().navigate(event, url), true, `${event} ${url}`);
      }
    }
  });

  it('denies every new window and webview, and never opens anything outside', async () => {
    const { electron, wc } = await boot();
    assert.deepEqual(wc().windowOpenHandler!({ url: `${HUB}/x` }), { action: 'deny' });
    assert.deepEqual(wc().windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
    const e = new FakeEvent();
    wc().emit('will-attach-webview', e, {}, {});
    assert.equal(e.defaultPrevented, true);
    assert.deepEqual(electron.externalOpens, []);
  });

  it("hardens every web contents Electron creates, not only the window's", async () => {
    const { electron } = await boot();
    const other = new FakeWebContents(electron.session.fromPartition('kiosk'));
    electron.app.emit('web-contents-created', {}, other);
    assert.equal(other.navigate('will-navigate', 'https://evil.example/'), true);
    assert.deepEqual(other.windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  });

  it('grants only the microphone, only to the hub', async () => {
    const { session } = await boot();
    const s = session();
    assert.equal(s.askPermission('media', { requestingUrl: `${HUB}/messages`, mediaTypes: ['audio'] }), true);
    assert.equal(s.askPermission('media', { requestingUrl: `${HUB}/messages`, mediaTypes: ['audio', 'video'] }), false);
    assert.equal(s.askPermission('media', { requestingUrl: 'http://evil.example/', mediaTypes: ['audio'] }), false);
    assert.equal(s.askPermission('media', { requestingUrl: OFFLINE, mediaTypes: ['audio'] }), false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal', 'hid', 'usb']) {
      assert.equal(s.askPermission(p, { requestingUrl: `${HUB}/x` }), false, p);
    }
    assert.equal(s.permissionCheck!({}, 'media', HUB, { mediaType: 'audio' }), true);
    assert.equal(s.permissionCheck!({}, 'media', HUB, { mediaType: 'video' }), false);
    assert.equal(s.permissionCheck!({}, 'media', 'http://127.0.0.1:9999', { mediaType: 'audio' }), false);
    assert.equal(s.permissionCheck!({}, 'geolocation', HUB, {}), false);
    assert.equal(s.deviceHandler!(), false);
    let streams: unknown;
    s.displayMediaHandler!({}, (x) => (streams = x));
    assert.deepEqual(streams, {});
  });

  it('refuses certificate errors, HTTP logins and downloads', async () => {
    const { electron, session } = await boot();
    const e = new FakeEvent();
    let trusted: boolean | undefined;
    electron.app.emit('certificate-error', e, {}, 'https://127.0.0.1:8080/', 'net::ERR_CERT_AUTHORITY_INVALID', {}, (t: boolean) => (trusted = t));
    assert.equal(trusted, false);
    const login = new FakeEvent();
    let credentials: unknown[] | undefined;
    electron.app.emit('login', login, {}, {}, {}, (...args: unknown[]) => (credentials = args));
    assert.equal(login.defaultPrevented, true);
    assert.deepEqual(credentials, []);
    const download = new FakeEvent();
    session().emit('will-download', download, {}, {});
    assert.equal(download.defaultPrevented, true);
  });

  it('cancels every request that is not to the hub or the kiosk pages', async () => {
    const { session } = await boot();
    const cancel = (url: string) => {
      let r: { cancel: boolean } | undefined;
      session().beforeRequest!({ url }, (x) => (r = x));
      return r!.cancel;
    };
    assert.equal(cancel(`${HUB}/media/abc`), false);
    assert.equal(cancel('espace-kiosk://app/offline.css'), false);
    assert.equal(cancel('https://fonts.googleapis.com/css'), true);
    assert.equal(cancel('http://127.0.0.1:9999/'), true);
  });

  it('closes devtools, and blocks the context menu, zoom and browser shortcuts', async () => {
    const { wc } = await boot();
    wc().emit('devtools-opened');
    assert.deepEqual(wc().calls, ['closeDevTools']);
    const menu = new FakeEvent();
    wc().emit('context-menu', menu, {});
    assert.equal(menu.defaultPrevented, true);
    wc().emit('did-finish-load');
    assert.deepEqual(wc().zoomLimits, [1, 1]);
    wc().zoomFactor = 2;
    wc().emit('zoom-changed', new FakeEvent(), 'in');
    assert.equal(wc().zoomFactor, 1);
    const key = (k: string, control = false) => {
      const e = new FakeEvent();
      wc().emit('before-input-event', e, { type: 'keyDown', key: k, control, alt: false, meta: false, shift: false });
      return e.defaultPrevented;
    };
    assert.equal(key('F12'), true);
    assert.equal(key('F5'), true);
    assert.equal(key('r', true), true);
    assert.equal(key('+', true), true);
    assert.equal(key('a'), false);
    assert.equal(key('Enter'), false);
  });

  it('serves its own pages with a Content-Security-Policy', async () => {
    const { session } = await boot();
    const handler = session().protocolHandlers.get('espace-kiosk')!;
    const res = await handler(new Request(OFFLINE));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*script-src 'self'/);
    assert.match(await res.text(), /lang="bm"/);
    assert.equal((await handler(new Request('espace-kiosk://app/../package.json'))).status, 404);
    assert.equal((await handler(new Request('espace-kiosk://app/wake-overlay.js'))).status, 404);
  });
});

describe('kiosk main process: IPC', () => {
  it('accepts heartbeats only from the hub or its own pages, in the top frame', async () => {
    const { electron, wc, advance, handle } = await boot();
    for (const url of ['http://evil.example/', 'http://127.0.0.1:8080.evil/', 'file:///tmp/x.html']) electron.ipcMain.send(CHANNELS.heartbeat, url);
    electron.ipcMain.sendFromSubframe(CHANNELS.heartbeat, START, START);
    advance(46_000);
    await handle.tick();
    assert.deepEqual(wc().loads, [START, START], 'no accepted heartbeat: reloaded');
  });

  it('keeps the technician channels to the technician page', async () => {
    const { electron } = await boot();
    await assert.rejects(async () => electron.ipcMain.invoke(CHANNELS.unlock, START, '2468'), /refused/);
    await assert.rejects(async () => electron.ipcMain.invoke(CHANNELS.unlock, OFFLINE, '2468'), /refused/);
    await assert.rejects(async () => electron.ipcMain.invoke(CHANNELS.status, TECH), /refused/, 'status before the PIN');
    await assert.rejects(async () => electron.ipcMain.invoke(CHANNELS.action, TECH, 'restart'), /refused/);
    assert.deepEqual(await electron.ipcMain.invoke(CHANNELS.unlock, TECH, '1111'), { ok: false, reason: 'wrong', attemptsLeft: 4 });
    assert.deepEqual(await electron.ipcMain.invoke(CHANNELS.unlock, TECH, '2468'), { ok: true });
    const status = (await electron.ipcMain.invoke(CHANNELS.status, TECH)) as {
      version: string;
      hubUrl: string;
      hub: { reachable: boolean };
      recovery: unknown;
    };
    assert.match(status.version, /^\d+\.\d+\.\d+/);
    assert.equal(status.hubUrl, HUB);
    assert.equal(typeof status.hub.reachable, 'boolean');
    assert.deepEqual(status.recovery, { reloads: 0, recreates: 0 });
    await electron.ipcMain.invoke(CHANNELS.action, TECH, 'restart');
    assert.deepEqual(electron.app.exits, [0]);
  });

  it('opens the technician screen on five taps in the top-left corner', async () => {
    const { electron, wc, advance } = await boot();
    for (let i = 0; i < 5; i += 1) {
      electron.ipcMain.send(CHANNELS.activity, START, { x: 12, y: 30 });
      advance(300);
    }
    assert.equal(wc().url, TECH);
    await electron.ipcMain.invoke(CHANNELS.action, TECH, 'close');
    assert.equal(wc().url, START);
  });

  it('locks the PIN after five wrong tries', async () => {
    const { electron } = await boot();
    for (let i = 0; i < 4; i += 1) await electron.ipcMain.invoke(CHANNELS.unlock, TECH, '0000');
    assert.deepEqual(await electron.ipcMain.invoke(CHANNELS.unlock, TECH, '0000'), { ok: false, reason: 'locked', retryInSeconds: 300 });
    assert.deepEqual(await electron.ipcMain.invoke(CHANNELS.unlock, TECH, '2468'), { ok: false, reason: 'locked', retryInSeconds: 300 });
  });
});

describe('kiosk main process: self-healing', () => {
  it('climbs the ladder on crashes: reload, reload, new window, exit', async () => {
    const { electron, advance } = await boot();
    const first = electron.window;
    first.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    assert.deepEqual(first.webContents.loads, [START, START]);
    first.webContents.emit('render-process-gone', {}, { reason: 'oom' });
    assert.deepEqual(first.webContents.loads, [START, START], 'same incident, within the settle time: not counted');
    advance(2000);
    first.webContents.emit('render-process-gone', {}, { reason: 'oom' });
    assert.equal(first.webContents.loads.length, 3);
    advance(2000);
    first.emit('unresponsive');
    assert.equal(electron.windows.length, 2, 'window recreated');
    assert.equal(first.destroyed, true);
    assert.deepEqual(electron.window.webContents.loads, [START]);
    assert.equal(electron.window.options.webPreferences.sandbox, true, 'the new window is as locked as the first');
    advance(2000);
    first.webContents.emit('render-process-gone', {}, { reason: 'killed' });
    first.emit('unresponsive');
    assert.equal(electron.windows.length, 2, 'the replaced window going away is not a failure');
    assert.deepEqual(electron.app.exits, []);
    electron.window.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(electron.app.exits, [1], 'exit for systemd to restart');
  });

  it('treats a heartbeat that stops as a hang, and a beating page as healthy', async () => {
    const { wc, advance, beat, handle } = await boot();
    beat();
    for (let i = 0; i < 10; i += 1) {
      advance(5000);
      beat();
      await handle.tick();
    }
    assert.deepEqual(wc().loads, [START], 'fifty seconds of pings: nothing done');
    advance(21_000);
    await handle.tick();
    assert.deepEqual(wc().loads, [START, START], 'pings stopped: reloaded');
  });

  it('shows the offline page when the hub does not answer, and ignores aborted loads', async () => {
    const { wc } = await boot();
    wc().emit('did-fail-load', {}, -3, 'ERR_ABORTED', START, true);
    assert.equal(wc().url, START);
    wc().emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', `${HUB}/media/x.png`, false);
    assert.equal(wc().url, START);
    wc().emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', START, true);
    assert.equal(wc().url, OFFLINE);
    wc().url = START;
    wc().emit('did-navigate', {}, START, 502, 'Bad Gateway');
    assert.equal(wc().url, OFFLINE);
  });
});

describe('kiosk main process: between visitors', () => {
  it('clears storage, cookies and caches after the idle time and goes back to the start with the wake overlay', async () => {
    const { electron, wc, session, advance, beat, handle } = await boot();
    beat();
    electron.ipcMain.send(CHANNELS.activity, START, { x: 900, y: 500 });
    wc().url = `${HUB}/courses/gouvernance`;
    advance(89_000);
    beat();
    await handle.tick();
    assert.deepEqual(session().calls, [], 'not yet');
    advance(1000);
    beat();
    await handle.tick();
    assert.deepEqual(session().calls, ['clearData', 'clearStorageData', 'clearCache', 'clearAuthCache']);
    assert.deepEqual(wc().executed, [scripts.pageReset], 'media stopped and sessionStorage cleared in the page');
    assert.equal(wc().url, START);
    wc().emit('did-finish-load');
    assert.deepEqual(wc().executed, [scripts.pageReset, scripts.wakeOverlay]);
    assert.equal(wc().historyCleared, 1, "no way back to the last visitor's pages");
    advance(600_000);
    await handle.tick();
    assert.equal(session().calls.length, 4, 'untouched since: no second reset');
  });
});

describe('kiosk main process: screen schedule', () => {
  it('keeps the screen on in opening hours and re-asserts it', async () => {
    const { electron, screen, advance, beat, handle } = await boot();
    assert.deepEqual(screen, ['on']);
    assert.equal(electron.powerBlocks.started.length, 1);
    advance(61_000);
    beat();
    await handle.tick();
    assert.deepEqual(screen, ['on', 'on']);
    assert.equal(electron.powerBlocks.started.length, 1, 'one blocker, kept');
  });

  it('blanks outside opening hours, wakes on a touch, and comes on at opening', async () => {
    const { electron, wc, screen, session, advance, beat, setWall, handle } = await boot({ wall: SUNDAY_NOON });
    assert.deepEqual(screen, ['off']);
    assert.equal(wc().url, BLANK);
    assert.deepEqual(session().calls, ['clearData', 'clearStorageData', 'clearCache', 'clearAuthCache']);
    wc().emit('did-finish-load');
    assert.ok(wc().executed.includes(scripts.wakeOverlay), 'the black page takes the first touch');
    beat();
    electron.ipcMain.send(CHANNELS.activity, BLANK, { x: 500, y: 500 });
    await new Promise((r) => setImmediate(r));
    await handle.tick();
    assert.equal(screen.at(-1), 'on');
    assert.equal(wc().url, START);
    const executed = wc().executed.length;
    wc().emit('did-finish-load');
    assert.equal(wc().executed.length, executed, 'woken by that touch: the portal takes the next one');
    const resets = session().calls.length;
    advance(91_000);
    beat();
    await handle.tick();
    assert.equal(screen.at(-1), 'off', 'back off after the wake time');
    assert.equal(wc().url, BLANK);
    assert.equal(session().calls.length, resets + 4, 'one reset, not two');
    const loads = wc().loads.length;
    advance(60_000);
    await handle.tick();
    assert.deepEqual(wc().loads.slice(loads), [BLANK], 'a hung black page is reloaded as the black page');
    beat();
    setWall(new Date(2026, 10, 23, 8, 0));
    await handle.tick();
    assert.equal(screen.at(-1), 'on');
    assert.equal(wc().url, START);
    assert.ok(electron.powerBlocks.stopped.length >= 1);
  });
});
