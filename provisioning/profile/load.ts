import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { AppError, describeIssues } from '../../content/index.js';
import { SpaceProfile } from './schema.js';

/** Validates a parsed profile; the error names every wrong field (`lan.dhcp.to: …`). */
export function parseProfile(value: unknown, source = 'the profile'): SpaceProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError(422, 'profile-invalid', `${source} must hold "key: value" pairs, like "hubId: kayes-01"`);
  }
  const result = SpaceProfile.safeParse(value);
  if (!result.success) throw new AppError(422, 'profile-invalid', `${source} is wrong: ${describeIssues(result.error)}`);
  return result.data;
}

/** Reads and validates a space profile (YAML). */
export function loadProfile(path: string): SpaceProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError(404, 'profile-missing', `cannot read the profile ${path}; check the path`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new AppError(422, 'profile-invalid', `${path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseProfile(value, path);
}

/** Things that are allowed but that a technician should hear about. */
export function profileWarnings(p: SpaceProfile): string[] {
  const out: string[] = [];
  if (p.accessPoint.via !== 'external') {
    out.push("the Pi's built-in radio serves only a handful of phones at once (about 10); for a busy space plug an external access point into eth0 and set accessPoint.via: external");
  }
  if (p.accessPoint.via === 'external') {
    out.push(`configure the external access point by hand: SSID "${p.accessPoint.ssid}", country ${p.accessPoint.country}, client isolation ${p.accessPoint.isolateClients ? 'ON' : 'off'}, its own DHCP server OFF (the hub gives addresses)`);
  }
  if (!p.central.url) out.push('no central address: the hub will not sync; content arrives only by USB');
  return out;
}
