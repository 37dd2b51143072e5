/** The captive-portal room: connectivity probes, the two-step admission, unknown hosts. */
export { captiveRouter, CAPTIVE_API_PATH } from './router.js';
export { CaptiveState, ADMITTED_FOR_MS } from './state.js';
export { PROBES } from './probes.js';
