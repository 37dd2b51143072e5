/** `espace fleet`: every hub's heartbeat as central has it, with the ones needing a visit marked. */
export { assessFleet, DEFAULT_THRESHOLDS, MARKS, type HubStanding, type Mark, type Thresholds } from './assess.js';
export { checkCentralCredentials, readFleetDocs, type Credentials } from './read.js';
