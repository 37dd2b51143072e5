/** `espace doctor`: the health of a hub and of the Pi under it, line by line, with advice. */
export { runChecks, exitStatus, powerChecks, VERDICTS, type Check, type Verdict, type DoctorOptions } from './checks.js';
export { fetchJson } from './probes.js';
