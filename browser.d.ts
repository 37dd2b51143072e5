// Globals the browser's plain JavaScript uses beyond the DOM's (tsconfig.browser.json).
import type { EspaceKioskBridge } from './kiosk/ipc.js';

declare global {
  interface Window {
    /** The kiosk's preload bridge (kiosk/preload.cts); absent on phones. */
    espaceKiosk?: EspaceKioskBridge;
    /** Older WebKit (iOS before 14.5) names AudioContext so. */
    webkitAudioContext?: typeof AudioContext;
  }
}
