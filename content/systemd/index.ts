/** Talking to systemd from the hub and the kiosk: readiness and the watchdog's pings. */
export { SystemdNotifier, watchdogIntervalMs } from './notify.js';
