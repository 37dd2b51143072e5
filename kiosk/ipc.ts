/**
 * The messages between the kiosk's pages (through the preload) and the main process.
 * The preload is sandboxed and cannot import this file at run time, so it repeats the
 * channel names; the types keep both sides in step.
 */
export const CHANNELS = {
  heartbeat: 'kiosk:heartbeat',
  activity: 'kiosk:activity',
  unlock: 'kiosk:technician-unlock',
  status: 'kiosk:technician-status',
  action: 'kiosk:technician-action',
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** A touch or key: where (CSS pixels) for touches, so the main process can spot the hidden gesture. */
export interface ActivityMessage {
  x?: number;
  y?: number;
}

export type UnlockResult = { ok: true } | { ok: false; reason: 'wrong'; attemptsLeft: number } | { ok: false; reason: 'locked'; retryInSeconds: number };

export type TechnicianAction = 'reload' | 'restart' | 'close';

export interface KioskStatus {
  version: string;
  electron: string | null;
  addresses: string[];
  hubUrl: string;
  hub: { reachable: boolean; status?: string; version?: string; uptimeSeconds?: number; error?: string };
  sync: { available: boolean; state?: unknown };
  /** The hub's text and voice coverage per language (/api/v1/coverage), when it has it. */
  coverage: { available: boolean; languages?: unknown };
  screen: { state: 'on' | 'off'; nextChange: string | null; backend: string };
  recovery: { reloads: number; recreates: number };
  idleResetInSeconds: number | null;
}

/** What the preload exposes to pages as `window.espaceKiosk`. */
export interface EspaceKioskBridge {
  heartbeat(): void;
  activity(where?: ActivityMessage): void;
  technician: {
    unlock(pin: string): Promise<UnlockResult>;
    status(): Promise<KioskStatus>;
    act(action: TechnicianAction): Promise<void>;
  };
}
