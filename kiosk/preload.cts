/**
 * The kiosk's preload: runs sandboxed, with context isolation, before every page. It
 * exposes one narrow bridge (`window.espaceKiosk`), sends a heartbeat from the renderer's
 * own thread (a page stuck in a loop stops it), and reports touches and keys so the main
 * process can reset after idle and spot the technician's gesture. Sandboxed preloads cannot
 * load other files, hence the channel names written out here (typed against ipc.ts).
 */
import type { ActivityMessage, Channel, EspaceKioskBridge, KioskStatus, TechnicianAction, UnlockResult } from './ipc.js';

interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: { send(channel: Channel, ...args: unknown[]): void; invoke(channel: Channel, ...args: unknown[]): Promise<unknown> };
}

const { contextBridge, ipcRenderer } = require('electron') as PreloadElectron;

const HEARTBEAT: Channel = 'kiosk:heartbeat';
const ACTIVITY: Channel = 'kiosk:activity';
const UNLOCK: Channel = 'kiosk:technician-unlock';
const STATUS: Channel = 'kiosk:technician-status';
const ACTION: Channel = 'kiosk:technician-action';
const HEARTBEAT_EVERY_MS = 5000;

function activity(where: ActivityMessage = {}): void {
  const x = Number(where.x);
  const y = Number(where.y);
  ipcRenderer.send(ACTIVITY, Number.isFinite(x) && Number.isFinite(y) ? { x, y } : {});
}

const bridge: EspaceKioskBridge = {
  heartbeat: () => ipcRenderer.send(HEARTBEAT),
  activity,
  technician: {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- the page's script may pass anything
    unlock: (pin: string) => ipcRenderer.invoke(UNLOCK, String(pin)) as Promise<UnlockResult>,
    status: () => ipcRenderer.invoke(STATUS) as Promise<KioskStatus>,
    act: async (action: TechnicianAction) => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- the page's script may pass anything
      await ipcRenderer.invoke(ACTION, String(action));
    },
  },
};

contextBridge.exposeInMainWorld('espaceKiosk', bridge);

ipcRenderer.send(HEARTBEAT);
setInterval(() => ipcRenderer.send(HEARTBEAT), HEARTBEAT_EVERY_MS);
// Capture phase on window: seen before the page (or the wake overlay) handles the event.
window.addEventListener('pointerdown', (e) => activity({ x: e.clientX, y: e.clientY }), { capture: true, passive: true });
window.addEventListener('keydown', () => activity(), { capture: true, passive: true });
