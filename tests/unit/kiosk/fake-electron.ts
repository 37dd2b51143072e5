/**
 * A recording fake of the part of Electron's main-process API the kiosk uses (the
 * interface in kiosk/electron-api.ts): every window option, handler, switch and session
 * call is kept so tests can assert the lock-down, and tests can fire Electron's events.
 * It fakes Electron, never our own code.
 */
import type {
  ElectronApi,
  IpcEventLike,
  KioskWindowOptions,
  Listener,
  PermissionCheckDetails,
  PermissionRequestDetails,
  PrivilegedScheme,
} from '../../../kiosk/electron-api.js';

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== wrapped)
      );
      listener(...args);
    };
    return this.on(event, wrapped);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
  }

  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url?: string) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeSession extends FakeEmitter {
  readonly calls: string[] = [];
  readonly protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  beforeRequest?: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void;
  permissionRequest?: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void;
  permissionCheck?: (wc: unknown, permission: string, origin: string, details: PermissionCheckDetails) => boolean;
  deviceHandler?: () => boolean;
  displayMediaHandler?: (request: unknown, callback: (streams: Record<string, never>) => void) => void;

  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => void this.protocolHandlers.set(scheme, handler),
  };
  readonly webRequest = { onBeforeRequest: (l: NonNullable<FakeSession['beforeRequest']>) => void (this.beforeRequest = l) };

  setPermissionRequestHandler(h: NonNullable<FakeSession['permissionRequest']>): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: NonNullable<FakeSession['permissionCheck']>): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: () => boolean): void {
    this.deviceHandler = h;
  }
  setDisplayMediaRequestHandler(h: NonNullable<FakeSession['displayMediaHandler']>): void {
    this.displayMediaHandler = h;
  }
  async clearData(): Promise<void> {
    this.calls.push('clearData');
  }
  async clearStorageData(): Promise<void> {
    this.calls.push('clearStorageData');
  }
  async clearCache(): Promise<void> {
    this.calls.push('clearCache');
  }
  async clearAuthCache(): Promise<void> {
    this.calls.push('clearAuthCache');
  }

  /** Asks the permission request handler, as Chromium would. */
  askPermission(permission: string, details: PermissionRequestDetails): boolean {
    let granted: boolean | undefined;
    this.permissionRequest!({}, permission, (g) => (granted = g), details);
    assertDefined(granted);
    return granted;
  }
}

function assertDefined<T>(v: T | undefined): asserts v is T {
  if (v === undefined) throw new Error('the handler did not answer');
}

export class FakeWebContents extends FakeEmitter {
  url = '';
  readonly loads: string[] = [];
  readonly executed: string[] = [];
  readonly calls: string[] = [];
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' | 'allow' };
  zoomLimits?: [number, number];
  zoomFactor = 1;
  historyCleared = 0;
  destroyed = false;
  readonly navigationHistory = { clear: () => void (this.historyCleared += 1) };

  constructor(readonly session: FakeSession) {
    super();
  }
  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.url = url;
  }
  getURL(): string {
    return this.url;
  }
  reload(): void {
    this.calls.push('reload');
  }
  async executeJavaScript(code: string): Promise<unknown> {
    this.executed.push(code);
    return undefined;
  }
  setWindowOpenHandler(h: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = h;
  }
  async setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
  }
  setZoomFactor(f: number): void {
    this.zoomFactor = f;
  }
  closeDevTools(): void {
    this.calls.push('closeDevTools');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Fires a navigation-like event and tells whether the kiosk prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): boolean {
    const e = new FakeEvent(url);
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export class FakeWindow extends FakeEmitter {
  shown = false;
  focused = 0;
  destroyed = false;
  constructor(
    readonly options: KioskWindowOptions,
    readonly webContents: FakeWebContents
  ) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused += 1;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeApp extends FakeEmitter {
  readonly switches: [string, string | undefined][] = [];
  quits = 0;
  exits: number[] = [];
  constructor(private readonly lock: boolean) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  async whenReady(): Promise<void> {}
  quit(): void {
    this.quits += 1;
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  readonly commandLine = { appendSwitch: (name: string, value?: string) => void this.switches.push([name, value]) };
}

export class FakeIpcMain {
  readonly onListeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  on(channel: string, l: (event: IpcEventLike, ...args: unknown[]) => void): this {
    this.onListeners.set(channel, l);
    return this;
  }
  handle(channel: string, l: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
    this.handlers.set(channel, l);
  }
  /** A message sent by a page at `url` (top frame unless `parentUrl`). */
  send(channel: string, url: string, ...args: unknown[]): void {
    this.onListeners.get(channel)!({ senderFrame: { url, parent: null } }, ...args);
  }
  sendFromSubframe(channel: string, url: string, parentUrl: string, ...args: unknown[]): void {
    this.onListeners.get(channel)!({ senderFrame: { url, parent: { url: parentUrl, parent: null } } }, ...args);
  }
  async invoke(channel: string, url: string, ...args: unknown[]): Promise<unknown> {
    return this.handlers.get(channel)!({ senderFrame: { url, parent: null } }, ...args);
  }
}

export class FakeElectron {
  readonly app: FakeApp;
  readonly windows: FakeWindow[] = [];
  readonly sessions = new Map<string, FakeSession>();
  readonly ipcMain = new FakeIpcMain();
  readonly schemes: PrivilegedScheme[] = [];
  readonly externalOpens: string[] = [];
  readonly powerBlocks: { started: number[]; stopped: number[] } = { started: [], stopped: [] };
  applicationMenu: unknown = 'default';
  readonly BrowserWindow: ElectronApi['BrowserWindow'];

  constructor(options: { singleInstanceLock?: boolean } = {}) {
    this.app = new FakeApp(options.singleInstanceLock ?? true);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the fake window class's constructor has its own this
    const self = this;
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- it stands for Electron's class, built with new
    this.BrowserWindow = class {
      constructor(opts: KioskWindowOptions) {
        const wc = new FakeWebContents(self.session.fromPartition(opts.webPreferences.partition));
        const w = new FakeWindow(opts, wc);
        self.windows.push(w);
        // Electron announces every new web contents, a window's included.
        self.app.emit('web-contents-created', {}, wc);
        // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the fake window stands in for the class's own instance
        return w;
      }
    } as unknown as ElectronApi['BrowserWindow'];
  }

  readonly session = {
    fromPartition: (partition: string): FakeSession => {
      let s = this.sessions.get(partition);
      if (!s) {
        s = new FakeSession();
        this.sessions.set(partition, s);
      }
      return s;
    },
  };
  readonly protocol = { registerSchemesAsPrivileged: (schemes: PrivilegedScheme[]) => void this.schemes.push(...schemes) };
  readonly powerSaveBlocker = {
    start: (_type: string) => {
      const id = this.powerBlocks.started.length + 1;
      this.powerBlocks.started.push(id);
      return id;
    },
    stop: (id: number) => void this.powerBlocks.stopped.push(id),
    isStarted: (id: number) => this.powerBlocks.started.includes(id) && !this.powerBlocks.stopped.includes(id),
  };
  readonly Menu = { setApplicationMenu: (menu: null) => void (this.applicationMenu = menu) };
  /** Present like Electron's, recorded: the kiosk must never call it. */
  readonly shell = { openExternal: async (url: string) => void this.externalOpens.push(url) };

  get window(): FakeWindow {
    return this.windows[this.windows.length - 1]!;
  }
  get api(): ElectronApi {
    return this;
  }
}
