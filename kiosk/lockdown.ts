import type { Logger } from '../content/index.js';
import type { AppLike, PreventableEvent, SessionLike, WebContentsLike } from './electron-api.js';
import { isAllowedNavigation, isAllowedRequest, isBlockedShortcut, isPermissionGranted, type KeyInput } from './policy/index.js';

/**
 * The lock-down of Electron's security checklist, applied by the main process: to every web
 * contents, to the kiosk's session, and to the app's certificate and login prompts. The
 * decisions themselves are the plain functions in policy/.
 */

/** Returns a function that hardens a web contents once (Electron announces each new one). */
export function contentsHardener(origin: string, log: Logger): (contents: WebContentsLike) => void {
  const hardened = new WeakSet<object>();
  return function harden(contents: WebContentsLike): void {
    if (hardened.has(contents)) return;
    hardened.add(contents);
    const guard = (kind: string) => (event: PreventableEvent, url?: string) => {
      // Electron 25+ gives the URL on the event; older listeners get it as the second argument.
      const target = typeof url === 'string' ? url : (event.url ?? '');
      if (isAllowedNavigation(target, origin)) return;
      event.preventDefault();
      log.warn({ kind, url: target }, 'navigation outside the hub refused');
    };
    contents.on('will-navigate', guard('navigate'));
    contents.on('will-redirect', guard('redirect'));
    contents.on('will-frame-navigate', guard('frame-navigate'));
    contents.on('will-attach-webview', (event: PreventableEvent) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      log.warn({ url }, 'new window refused');
      return { action: 'deny' };
    });
    contents.on('devtools-opened', () => contents.closeDevTools());
    contents.on('context-menu', (event: PreventableEvent) => event.preventDefault());
    contents.on('before-input-event', (event: PreventableEvent, input: KeyInput) => {
      if (isBlockedShortcut(input)) event.preventDefault();
    });
    contents.on('zoom-changed', () => contents.setZoomFactor(1));
    contents.on('did-finish-load', () => {
      contents.setVisualZoomLevelLimits(1, 1).catch(() => {});
    });
  };
}

/** Certificate errors and HTTP authentication prompts are refused, never asked of a visitor. */
export function refuseCertificatesAndLogins(app: AppLike, log: Logger): void {
  app.on(
    'certificate-error',
    (event: PreventableEvent, _contents: unknown, url: string, error: string, _cert: unknown, callback: (trusted: boolean) => void) => {
      event.preventDefault();
      callback(false);
      log.warn({ url, error }, 'certificate error: page refused');
    }
  );
  app.on('login', (event: PreventableEvent, _contents: unknown, _details: unknown, _auth: unknown, callback: () => void) => {
    event.preventDefault();
    callback();
  });
}

/** Requests only to the hub, permissions only for the hub's microphone, no devices, no screen capture, no downloads. */
export function lockSession(ses: SessionLike, origin: string, log: Logger): void {
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = isAllowedRequest(details.url, origin);
    if (!ok) log.warn({ url: details.url }, 'request outside the hub refused');
    callback({ cancel: !ok });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = isPermissionGranted({ permission, requestingUrl: details.requestingUrl ?? '', mediaTypes: details.mediaTypes }, origin);
    if (!granted) log.info({ permission, url: details.requestingUrl }, 'permission refused');
    callback(granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted({ permission, requestingUrl: requestingOrigin, mediaTypes: details.mediaType ? [details.mediaType] : [] }, origin)
  );
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.on('will-download', (event: PreventableEvent) => event.preventDefault());
}
