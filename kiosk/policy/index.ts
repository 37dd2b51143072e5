/**
 * The kiosk's policy, free of Electron: where it may go, what it may ask, when it resets,
 * recovers and sleeps. main.ts applies it to the real windows; tests drive it with a clock.
 */
export { KIOSK_PAGE_CSP } from './csp.js';
export { CornerGesture, DEFAULT_GESTURE, type GestureOptions } from './gesture.js';
export { HeartbeatMonitor } from './heartbeat.js';
export { IdleTracker } from './idle.js';
export { DEFAULT_LADDER, RecoveryLadder, type LadderDecision, type LadderOptions, type RecoveryStep } from './ladder.js';
export { hubOrigin, isAllowedNavigation, isAllowedRequest, isHubUrl, isKioskPageUrl, KIOSK_BASE, KIOSK_HOST, KIOSK_SCHEME } from './origin.js';
export { isPermissionGranted, type PermissionAsk } from './permissions.js';
export { DEFAULT_PIN, PinGate, type PinOptions, type PinResult } from './pin.js';
export { DisplayPlanner, isOpenAt, nextChange, type OpeningHours, type ScreenState } from './schedule.js';
export { isBlockedShortcut, type KeyInput } from './shortcuts.js';
