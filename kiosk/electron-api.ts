/**
 * The part of Electron's main-process API the kiosk uses, as an interface. `main.ts` is
 * written against it; the real entry passes Electron itself, tests pass a recording fake.
 * Signatures follow Electron's documentation (listener arguments included).
 */

/** Electron's listeners take arguments that vary by event; each listener in main.ts names its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown[] would refuse main.ts's typed listeners
export type Listener = (...args: any[]) => void;

export interface Emitter {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

export interface PreventableEvent {
  preventDefault(): void;
  /** Set on navigation events since Electron 25. */
  url?: string;
}

export interface KioskWebPreferences {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  experimentalFeatures: boolean;
  webviewTag: boolean;
  devTools: boolean;
  spellcheck: boolean;
  navigateOnDragDrop: boolean;
  safeDialogs: boolean;
  disableDialogs: boolean;
  autoplayPolicy: 'no-user-gesture-required' | 'user-gesture-required' | 'document-user-activation-required';
  backgroundThrottling: boolean;
  partition: string;
}

export interface KioskWindowOptions {
  kiosk: boolean;
  fullscreen: boolean;
  frame: boolean;
  show: boolean;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: KioskWebPreferences;
}

export interface FrameLike {
  url: string;
  parent: FrameLike | null;
}

export interface IpcEventLike {
  senderFrame: FrameLike | null;
}

export interface PermissionRequestDetails {
  requestingUrl?: string;
  mediaTypes?: string[];
}

export interface PermissionCheckDetails {
  requestingUrl?: string;
  mediaType?: string;
}

export interface SessionLike extends Emitter {
  protocol: { handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void };
  webRequest: { onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void };
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionRequestDetails) => void
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  setDisplayMediaRequestHandler(handler: (request: unknown, callback: (streams: Record<string, never>) => void) => void): void;
  /** Electron 33 and later: Chromium's BrowsingDataRemover, every kind of data at once. */
  clearData?(): Promise<void>;
  clearStorageData(options?: { storages?: string[] }): Promise<void>;
  clearCache(): Promise<void>;
  clearAuthCache(): Promise<void>;
}

export interface WebContentsLike extends Emitter {
  readonly session: SessionLike;
  loadURL(url: string): Promise<void>;
  getURL(): string;
  reload(): void;
  executeJavaScript(code: string): Promise<unknown>;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  setVisualZoomLevelLimits(min: number, max: number): Promise<void>;
  setZoomFactor(factor: number): void;
  closeDevTools(): void;
  isDestroyed(): boolean;
  /** Electron 32 and later. */
  navigationHistory?: { clear(): void };
}

export interface WindowLike extends Emitter {
  readonly webContents: WebContentsLike;
  show(): void;
  focus(): void;
  destroy(): void;
  isDestroyed(): boolean;
}

export interface AppLike extends Emitter {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  quit(): void;
  exit(code: number): void;
  commandLine: { appendSwitch(name: string, value?: string): void };
}

export interface PrivilegedScheme {
  scheme: string;
  privileges: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; corsEnabled?: boolean; stream?: boolean };
}

export interface ElectronApi {
  app: AppLike;
  BrowserWindow: new (options: KioskWindowOptions) => WindowLike;
  session: { fromPartition(partition: string): SessionLike };
  ipcMain: {
    on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
    handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  };
  protocol: { registerSchemesAsPrivileged(schemes: PrivilegedScheme[]): void };
  powerSaveBlocker: { start(type: 'prevent-display-sleep' | 'prevent-app-suspension'): number; stop(id: number): void; isStarted(id: number): boolean };
  Menu: { setApplicationMenu(menu: null): void };
}
