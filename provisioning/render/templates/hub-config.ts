import { stringify } from 'yaml';
import type { SpaceProfile } from '../../profile/index.js';
import { hubConfigFor, hubSecretsFor } from '../../profile/index.js';
import { envFileValue, header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';
import { CONFIG_PATH, SECRETS_PATH } from './systemd.js';

/**
 * The hub's configuration: no password in it, but the kiosk's PIN is, so it is readable by
 * root and the espace group only (the hub's account, and the kiosk's, which is a member).
 */
export function hubConfig(p: SpaceProfile): RenderedFile {
  const content = header('#', `the hub's configuration for ${p.hubId}`) + stringify(hubConfigFor(p), { lineWidth: 0 });
  return { path: CONFIG_PATH, content, mode: 0o640, owner: 'root', group: 'espace', onChange: [restart('espace-hub.service')] };
}

/** The secrets the hub needs, readable by root only (systemd reads them for the unit). */
export function hubSecrets(p: SpaceProfile): RenderedFile {
  const lines = Object.entries(hubSecretsFor(p)).map(([k, v]) => `${k}=${envFileValue(v)}\n`);
  return {
    path: SECRETS_PATH,
    content: header('#', "the hub's secrets (root only)") + lines.join(''),
    mode: 0o600,
    owner: 'root',
    onChange: [restart('espace-hub.service')],
  };
}
