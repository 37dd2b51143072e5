/**
 * The doctor's checks: the health of a hub and of the Pi under it, line by line, with advice.
 * `espace doctor` prints them; the technician's console page shows the same checks.
 */
export { runChecks, exitStatus, powerChecks, httpsCheck, VERDICTS, type Check, type Verdict, type DoctorOptions } from './checks.js';
export { fetchJson } from './probes.js';
