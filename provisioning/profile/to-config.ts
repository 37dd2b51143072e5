import { DEFAULTS, type ConfigInput } from '../../hub/index.js';
import type { SpaceProfile } from './schema.js';

/** Where a provisioned hub keeps its data (systemd's StateDirectory=espace). */
export const HUB_DATA_DIR = '/var/lib/espace';

/**
 * The hub's configuration (`/etc/espace/espace.yaml`) for a profile, without secrets: the
 * central password reaches the hub through a root-only EnvironmentFile instead. Fields left
 * out (limits, …) take the hub's defaults when it loads the file.
 */
export function hubConfigFor(p: SpaceProfile): Partial<ConfigInput> {
  const config: Partial<ConfigInput> = {
    hubId: p.hubId,
    spaceName: p.spaceName,
    commune: p.commune,
    region: p.region,
    languages: p.languages,
    dataDir: HUB_DATA_DIR,
    host: '0.0.0.0',
    port: p.hub.port,
    // nginx on port 80 sends media bytes (render/templates/nginx.ts).
    mediaFront: true,
    dnsName: p.hub.dnsName,
    mdnsName: p.hub.mdnsName,
    // When avahi-daemon publishes the service, a second mDNS stack in the hub would fight it.
    mdns: p.hub.mdns === 'hub',
    logLevel: 'info',
    trustedKeys: p.trustedKeys,
    trustDemoKey: false,
    seedDemo: false,
    wifi: { ssid: p.accessPoint.ssid },
    tls: { domain: p.hub.tlsDomain, port: p.hub.tlsPort, publicPort: 443 },
    central: {
      ...(p.central.url ? { url: p.central.url } : {}),
      ...(p.central.username ? { username: p.central.username } : {}),
    },
    sync: { ...p.sync, enabled: p.sync.enabled && p.central.url !== undefined },
    kiosk: {
      hubUrl: `http://127.0.0.1:${p.hub.port}`,
      idleSeconds: p.kiosk.idleSeconds,
      lowMemory: p.kiosk.lowMemory,
      pin: p.kiosk.pin,
      openingHours: p.kiosk.openingHours ?? DEFAULTS.kiosk.openingHours,
    },
  };
  return config;
}

/** Secrets, as `KEY=value` lines for systemd's EnvironmentFile (mode 0600, read by systemd as root). */
export function hubSecretsFor(p: SpaceProfile): Record<string, string> {
  const env: Record<string, string> = {};
  if (p.central.password) env.ESPACE_CENTRAL_PASSWORD = p.central.password;
  // Not read by the hub: `espace usb export` (run as root) seals bundles with it.
  if (p.bundleKey) env.ESPACE_BUNDLE_KEY = p.bundleKey;
  return env;
}
