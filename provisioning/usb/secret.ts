import { readFileSync } from 'node:fs';
import { AppError } from '../../content/index.js';
import type { BundleSecret } from './bundle.js';

/**
 * The `KEY="value"` lines of a systemd EnvironmentFile (the rendered /etc/espace/secrets.env),
 * or {} when it is not readable (not root, not a provisioned Pi).
 */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const raw = m[2]!;
    out[m[1]!] = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/\\(["\\])/g, '$1') : raw;
  }
  return out;
}

/** The bundle key when there is one (it wins), else the hub's central credentials. */
export function bundleSecretFrom(values: { bundleKey?: string; username?: string; password?: string }): BundleSecret {
  if (values.bundleKey) {
    const key = Buffer.from(values.bundleKey, 'base64');
    if (key.length !== 32)
      throw new AppError(422, 'bad-bundle-key', 'the bundle key must be 32 bytes in base64 (44 characters), as made by "openssl rand -base64 32"');
    return { source: 'bundle-key', key };
  }
  if (values.username && values.password) return { source: 'central-credentials', username: values.username, password: values.password };
  throw new AppError(
    422,
    'no-bundle-secret',
    "nothing to seal the bundle with: set bundleKey in the space profile (ESPACE_BUNDLE_KEY), or the hub's central username and password (ESPACE_CENTRAL_USERNAME, ESPACE_CENTRAL_PASSWORD)"
  );
}
