/** The fleet room: this hub's heartbeat, pushed to central for `espace fleet`. */
export { cpuTemperature, HeartbeatWriter, type HeartbeatOptions } from './heartbeat.js';
export { writeHeartbeat, freshenHeartbeat, measureHub } from './store.js';
