import { existsSync } from 'node:fs';
import { Bonjour, type Service } from 'bonjour-service';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { bonjourOptions, SERVICE_TYPE, type HubTxt } from './txt.js';

export interface Advertiser {
  /** Replaces some TXT values (status, lastSync) and announces them again. */
  update(txt: Partial<HubTxt>): void;
  stop(): Promise<void>;
}

/** Written by provisioning when avahi-daemon publishes the hub (see provisioning/render). */
export const AVAHI_SERVICE_FILE = '/etc/avahi/services/espace.service';

/**
 * Advertises `_espace-hub._tcp` with bonjour-service. Returns null when the hub must not
 * publish: `mdns: false` in its config (provisioning sets that when avahi-daemon publishes
 * the same service), or avahi's service file for it exists: two mDNS stacks must not fight
 * over port 5353.
 */
export function advertiseHub(config: Config, port: number, txt: Omit<HubTxt, 'lastSync'> & { lastSync?: string }, log: Logger): Advertiser | null {
  if (!config.mdns) {
    log.debug('mDNS publication off (mdns: false)');
    return null;
  }
  if (existsSync(AVAHI_SERVICE_FILE)) {
    log.info({ file: AVAHI_SERVICE_FILE }, 'avahi-daemon publishes this hub; not starting a second mDNS stack');
    return null;
  }
  // mdnsInterface pins the multicast to one interface's address (tests use loopback).
  const bonjour = new Bonjour(bonjourOptions(config.mdnsInterface), (err: unknown) =>
    log.warn({ err }, 'mDNS error; the hub keeps serving, laptops may not find it by name'),
  );
  const current: HubTxt = { lastSync: 'never', ...txt };
  const name = `${config.mdnsName}-${config.hubId}`;
  const publish = (probe: boolean): Service => {
    const s = bonjour.publish({ name, type: SERVICE_TYPE, port, txt: { ...current }, probe });
    s.on('error', (err: unknown) => log.warn({ err }, 'mDNS publication failed'));
    return s;
  };
  let service = publish(true);
  log.info({ type: `_${SERVICE_TYPE}._tcp`, port }, 'advertising on mDNS');
  return {
    update(change) {
      if (Object.entries(change).every(([k, v]) => current[k as keyof HubTxt] === v)) return;
      Object.assign(current, change);
      // bonjour-service 1.x cannot change a published TXT: say goodbye and publish again.
      service.stop(() => {
        service = publish(false);
      });
    },
    stop() {
      return new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => {
          bonjour.destroy();
          resolve();
        });
      });
    },
  };
}

