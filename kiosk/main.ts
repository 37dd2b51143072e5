import type { Logger } from '../content/index.js';
import type { KioskConfig } from './config.js';
import type { DisplayBackend } from './display.js';
import type { AppLike, ElectronApi, IpcEventLike, KioskWebPreferences, KioskWindowOptions, SessionLike, WebContentsLike, WindowLike } from './electron-api.js';
import { CHANNELS, type ActivityMessage, type KioskStatus, type UnlockResult } from './ipc.js';
import { loadPageScripts } from './page-scripts.js';
import { kioskPagesHandler } from './pages.js';
import {
  CornerGesture,
  DEFAULT_LADDER,
  DisplayPlanner,
  HeartbeatMonitor,
  hubOrigin,
  IdleTracker,
  isHubUrl,
  isKioskPageUrl,
  isOpenAt,
  KIOSK_BASE,
  KIOSK_SCHEME,
  type LadderOptions,
  nextChange,
  PinGate,
  RecoveryLadder,
  type ScreenState,
} from './policy/index.js';
import { contentsHardener, lockSession, refuseCertificatesAndLogins } from './lockdown.js';
import { coverageStatus, hubStatus, kioskVersion, localAddresses, syncStatus } from './status.js';
import type { SystemdNotifier } from '../content/index.js';

/**
 * The kiosk's Electron main process, written against an injected Electron API so that every
 * lock-down rule can be checked with a recording fake. Only electron-entry.ts loads Electron.
 */

export interface KioskTimings {
  /** How often the policy (heartbeat, idle, schedule) is looked at. */
  tickMs: number;
  heartbeatTimeoutMs: number;
  /** Time a page has to load before its first heartbeat. */
  startGraceMs: number;
  /** The screen state is applied again this often even when unchanged. */
  reassertMs: number;
  /** How long the technician's screen stays open after the PIN. */
  technicianUnlockMs: number;
  offlineRetrySeconds: number;
  /** How long the page may take to stop its media before a reset goes on without it. */
  pageResetTimeoutMs: number;
  ladder: LadderOptions;
}

export const DEFAULT_TIMINGS: KioskTimings = {
  tickMs: 1000,
  heartbeatTimeoutMs: 20_000,
  startGraceMs: 45_000,
  reassertMs: 60_000,
  technicianUnlockMs: 2 * 60_000,
  offlineRetrySeconds: 5,
  pageResetTimeoutMs: 2000,
  ladder: DEFAULT_LADDER,
};

export interface KioskClock {
  /** Monotonic milliseconds. */
  mono(): number;
  wall(): Date;
}

export interface KioskOptions {
  config: KioskConfig;
  log: Logger;
  /** May still be detecting: Electron's start-up must not wait for it. */
  display: DisplayBackend | Promise<DisplayBackend>;
  notifier: SystemdNotifier;
  /** WATCHDOG=1 period; undefined when systemd asked for no watchdog. */
  watchdogMs?: number;
  /** The compiled preload (dist/kiosk/preload.cjs). */
  preloadPath: string;
  /** kiosk/pages in the source tree. */
  pagesDir: string;
  electronVersion?: string | null;
  timings?: Partial<KioskTimings>;
  clock?: KioskClock;
}

export interface KioskHandle {
  window(): WindowLike;
  /** One pass of the policy (runs every tickMs on its own). */
  tick(): Promise<void>;
  resetVisitor(reason: string, wakeOverlay?: boolean): Promise<void>;
  stop(): void;
}

/** No "persist:" prefix: the session lives in memory, so nothing of a visitor reaches the SD card. */
export const PARTITION = 'kiosk';

export function kioskWebPreferences(preloadPath: string): KioskWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    devTools: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    disableDialogs: true,
    // The attract loop plays without a touch.
    autoplayPolicy: 'no-user-gesture-required',
    backgroundThrottling: false,
    partition: PARTITION,
  };
}

export function kioskWindowOptions(preloadPath: string): KioskWindowOptions {
  return {
    kiosk: true,
    fullscreen: true,
    frame: false,
    show: false,
    backgroundColor: '#000000',
    autoHideMenuBar: true,
    webPreferences: kioskWebPreferences(preloadPath),
  };
}

/** Chromium switches; they must be set before the app is ready. */
export function applySwitches(app: AppLike, lowMemory: boolean): void {
  const sw = app.commandLine;
  sw.appendSwitch('disable-pinch');
  sw.appendSwitch('overscroll-history-navigation', '0');
  sw.appendSwitch('disable-features', 'TouchpadOverscrollHistoryNavigation,Translate,MediaRouter,HardwareMediaKeyHandling');
  sw.appendSwitch('noerrdialogs');
  if (lowMemory) {
    // 1–2 GB boards: one renderer, a smaller JavaScript heap, no GPU shader cache on the SD card.
    sw.appendSwitch('renderer-process-limit', '1');
    sw.appendSwitch('js-flags', '--max-old-space-size=256');
    sw.appendSwitch('disable-gpu-shader-disk-cache');
    sw.appendSwitch('disk-cache-size', String(16 * 1024 * 1024));
  }
}

/** The kiosk's own pages get a standard, secure scheme (needed for fetch and CSP 'self'); before ready. */
export function registerKioskScheme(api: Pick<ElectronApi, 'protocol'>): void {
  api.protocol.registerSchemesAsPrivileged([{ scheme: KIOSK_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}

const MONO: KioskClock = { mono: () => performance.now(), wall: () => new Date() };

export async function startKiosk(api: ElectronApi, options: KioskOptions): Promise<KioskHandle | undefined> {
  const { app } = api;
  const { config, log, notifier } = options;
  const timings: KioskTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  const clock = options.clock ?? MONO;
  const origin = hubOrigin(config.kiosk.hubUrl);
  const startUrl = new URL('/kiosk', origin).href;
  const idleMs = config.kiosk.idleSeconds * 1000;

  if (!app.requestSingleInstanceLock()) {
    log.warn('another kiosk is already running; this one stops');
    app.quit();
    return undefined;
  }
  applySwitches(app, config.kiosk.lowMemory);

  const harden = contentsHardener(origin, log);
  app.on('web-contents-created', (_event: unknown, contents: WebContentsLike) => harden(contents));
  refuseCertificatesAndLogins(app, log);

  await app.whenReady();
  api.Menu.setApplicationMenu(null);
  const display = await options.display;

  const scripts = loadPageScripts(options.pagesDir);
  const ses: SessionLike = api.session.fromPartition(PARTITION);
  ses.protocol.handle(KIOSK_SCHEME, kioskPagesHandler({ dir: options.pagesDir, hubUrl: origin, startUrl, retrySeconds: timings.offlineRetrySeconds }));
  lockSession(ses, origin, log);

  const heartbeat = new HeartbeatMonitor(timings.heartbeatTimeoutMs, timings.startGraceMs);
  const idle = new IdleTracker(idleMs, clock.mono());
  const ladder = new RecoveryLadder(timings.ladder);
  const planner = new DisplayPlanner(config.kiosk.openingHours, timings.reassertMs);
  const gesture = new CornerGesture();
  const pin = new PinGate(config.kiosk.pin);
  let win: WindowLike;
  let screen: ScreenState | undefined;
  let wakeArmed = false;
  let clearHistoryOnLoad = false;
  let unlockedUntil = -Infinity;
  let resetting: Promise<void> | undefined;
  let powerBlock: number | undefined;
  let readySent = false;

  const load = (url: string) => {
    heartbeat.arm(clock.mono());
    // A failed load is handled by did-fail-load (offline page); the promise only reports it again.
    win.webContents.loadURL(url).catch(() => {});
  };
  const showOffline = () => load(`${KIOSK_BASE}offline.html`);
  /** Where the kiosk rests: the hub's kiosk layout, or the black page while the screen is off. */
  const home = () => (screen === 'off' ? `${KIOSK_BASE}blank.html` : startUrl);

  function createWindow(): WindowLike {
    const w = new api.BrowserWindow(kioskWindowOptions(options.preloadPath));
    const wc = w.webContents;
    harden(wc);
    w.once('ready-to-show', () => {
      w.show();
      if (!readySent) {
        readySent = true;
        notifier.notify('READY=1').catch(() => {});
      }
    });
    // A window being replaced may still report its renderer going away: only the current one counts.
    const current = () => w === win;
    w.on('unresponsive', () => current() && void failure('unresponsive'));
    wc.on(
      'render-process-gone',
      (_e: unknown, details: { reason?: string; exitCode?: number }) => current() && void failure(`render-process-gone:${details.reason ?? 'unknown'}`)
    );
    wc.on('did-fail-load', (_e: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => {
      // -3 is ERR_ABORTED: a load replaced by another, not a failure.
      if (!current() || !isMainFrame || errorCode === -3 || !isHubUrl(validatedURL, origin)) return;
      log.warn({ errorCode, errorDescription, url: validatedURL }, 'hub unreachable: offline page');
      showOffline();
    });
    wc.on('did-navigate', (_e: unknown, url: string, httpResponseCode: number) => {
      if (current() && isHubUrl(url, origin) && httpResponseCode >= 500) {
        log.warn({ url, httpResponseCode }, 'hub answered with an error: offline page');
        showOffline();
      }
    });
    wc.on('did-finish-load', () => {
      if (!current()) return;
      if (clearHistoryOnLoad) {
        clearHistoryOnLoad = false;
        wc.navigationHistory?.clear();
      }
      if (wakeArmed) {
        wakeArmed = false;
        wc.executeJavaScript(scripts.wakeOverlay).catch((err: unknown) => log.warn({ err }, 'wake overlay not installed'));
      }
    });
    return w;
  }

  /** Clears everything of the last visitor and goes back to the start (or the black page when closed). */
  async function resetVisitor(reason: string, wakeOverlay = true): Promise<void> {
    resetting ??= (async () => {
      const wc = win.webContents;
      await withTimeout(
        wc.executeJavaScript(scripts.pageReset).catch(() => undefined),
        timings.pageResetTimeoutMs
      );
      await ses.clearData?.();
      await ses.clearStorageData();
      await ses.clearCache();
      await ses.clearAuthCache();
      unlockedUntil = -Infinity;
      wakeArmed = wakeOverlay;
      clearHistoryOnLoad = true;
      load(home());
      idle.resetDone(clock.mono());
      log.info({ reason }, 'kiosk reset for the next visitor');
    })().finally(() => {
      resetting = undefined;
    });
    return resetting;
  }

  async function failure(reason: string): Promise<void> {
    const decision = ladder.failure(clock.mono());
    if (!decision) {
      log.debug({ reason }, 'renderer failure during recovery: already being handled');
      return;
    }
    log.warn({ reason, ...decision }, `renderer failure: ${decision.step}`);
    if (decision.step === 'reload') {
      load(home());
    } else if (decision.step === 'recreate') {
      const old = win;
      heartbeat.disarm();
      win = createWindow();
      if (!old.isDestroyed()) old.destroy();
      load(home());
    } else {
      await notifier.notify('STOPPING=1');
      // systemd (Restart=always) starts a fresh kiosk.
      app.exit(1);
    }
  }

  async function applyScreen(state: ScreenState, changed: boolean, woken: boolean): Promise<void> {
    const previous = screen;
    screen = state;
    await display.set(state).catch((err: unknown) => log.warn({ err }, 'display command failed'));
    if (state === 'on') {
      if (powerBlock === undefined || !api.powerSaveBlocker.isStarted(powerBlock)) powerBlock = api.powerSaveBlocker.start('prevent-display-sleep');
      // Woken by a touch: that touch was the wake-up already, the portal takes the next one.
      if (changed && previous === 'off') await resetVisitor('screen on', !woken);
    } else {
      if (powerBlock !== undefined) api.powerSaveBlocker.stop(powerBlock);
      powerBlock = undefined;
      const url = win.webContents.getURL();
      // Re-asserted too: the black page stays even if something else was shown since.
      if (url !== `${KIOSK_BASE}blank.html` && url !== `${KIOSK_BASE}technician.html`) await resetVisitor('screen off');
    }
    if (changed) log.info({ state, backend: display.name }, 'screen schedule');
  }

  let ticking: Promise<void> | undefined;
  /** One pass at a time: a reset waiting on a hung page must not let the next tick climb the ladder twice. */
  function tick(): Promise<void> {
    ticking ??= policyPass().finally(() => {
      ticking = undefined;
    });
    return ticking;
  }

  async function policyPass(): Promise<void> {
    const now = clock.mono();
    if (heartbeat.isExpired(now)) await failure('heartbeat expired');
    // The schedule first: a screen going off resets to the black page, which is the idle reset too.
    const plan = planner.tick(clock.wall(), now);
    if (plan.apply) await applyScreen(plan.state, plan.changed, plan.state === 'on' && !isOpenAt(config.kiosk.openingHours, clock.wall()));
    if (idle.isDue(now)) await resetVisitor('idle');
  }

  /** Which of our pages sent an IPC message: the hub's pages, the kiosk's own, or the technician screen; null for anything else. */
  function sender(event: IpcEventLike): 'hub' | 'kiosk' | 'technician' | null {
    const frame = event.senderFrame;
    if (!frame || frame.parent) return null;
    if (isHubUrl(frame.url, origin)) return 'hub';
    if (isKioskPageUrl(frame.url)) return new URL(frame.url).pathname === '/technician.html' ? 'technician' : 'kiosk';
    return null;
  }
  const refuse = (event: IpcEventLike, channel: string) => log.warn({ channel, url: event.senderFrame?.url }, 'IPC message from an unknown page refused');

  api.ipcMain.on(CHANNELS.heartbeat, (event) => {
    if (!sender(event)) return void refuse(event, CHANNELS.heartbeat);
    heartbeat.beat(clock.mono());
  });
  api.ipcMain.on(CHANNELS.activity, (event, message) => {
    const from = sender(event);
    if (!from) return void refuse(event, CHANNELS.activity);
    const now = clock.mono();
    idle.activity(now);
    if (screen === 'off') {
      planner.wake(now + idleMs);
      void tick();
      return;
    }
    const { x, y } = (typeof message === 'object' && message !== null ? message : {}) as ActivityMessage;
    if (from !== 'technician' && typeof x === 'number' && typeof y === 'number' && gesture.tap(x, y, now)) {
      log.info('technician gesture: status screen');
      load(`${KIOSK_BASE}technician.html`);
    }
  });
  api.ipcMain.handle(CHANNELS.unlock, (event, attempt): UnlockResult => {
    if (sender(event) !== 'technician') throw new Error('refused');
    const now = clock.mono();
    const r = pin.check(String(attempt), now);
    if (r.ok) {
      unlockedUntil = now + timings.technicianUnlockMs;
      log.info('technician screen unlocked');
      return r;
    }
    log.warn({ reason: r.reason }, 'technician PIN refused');
    return r.reason === 'locked' ? { ok: false, reason: 'locked', retryInSeconds: Math.ceil(r.retryInMs / 1000) } : r;
  });
  const unlocked = () => clock.mono() < unlockedUntil;
  api.ipcMain.handle(CHANNELS.status, async (event): Promise<KioskStatus> => {
    if (sender(event) !== 'technician' || !unlocked()) throw new Error('refused');
    const now = clock.mono();
    const next = nextChange(config.kiosk.openingHours, clock.wall());
    const remaining = idle.remaining(now);
    const [hub, sync, coverage] = await Promise.all([hubStatus(origin), syncStatus(origin), coverageStatus(origin)]);
    return {
      version: kioskVersion(),
      electron: options.electronVersion ?? null,
      addresses: localAddresses(),
      hubUrl: origin,
      hub,
      sync,
      coverage,
      screen: { state: screen ?? 'on', nextChange: next ? next.toISOString() : null, backend: `${display.name} (${display.reason})` },
      recovery: ladder.snapshot(),
      idleResetInSeconds: remaining === null ? null : Math.ceil(remaining / 1000),
    };
  });
  api.ipcMain.handle(CHANNELS.action, async (event, raw) => {
    if (sender(event) !== 'technician') throw new Error('refused');
    // What the renderer sent is untrusted: typed only as what it is compared with.
    const action: unknown = raw;
    if (action === 'close') return resetVisitor('technician closed');
    if (!unlocked()) throw new Error('refused');
    log.info({ action }, 'technician action');
    if (action === 'reload') return resetVisitor('technician reload');
    if (action === 'restart') {
      await notifier.notify('STOPPING=1');
      app.exit(0);
      return undefined;
    }
    throw new Error('unknown action');
  });

  app.on('second-instance', () => win.focus());

  win = createWindow();
  load(startUrl);
  await tick();

  const timers = [setInterval(() => void tick().catch((err: unknown) => log.error({ err }, 'kiosk tick failed')), timings.tickMs)];
  if (options.watchdogMs !== undefined && notifier.enabled) {
    timers.push(setInterval(() => void notifier.notify('WATCHDOG=1'), options.watchdogMs));
  }
  log.info({ hub: origin, startUrl, display: display.name, watchdogMs: options.watchdogMs ?? null }, 'kiosk started');

  return {
    window: () => win,
    tick,
    resetVisitor,
    stop: () => timers.forEach((t) => clearInterval(t)),
  };
}
