import { existsSync } from 'node:fs';
import { Bonjour, type Service } from 'bonjour-service';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { bonjourOptions, SERVICE_TYPE, type HubTxt } from './txt.js';

export interface Advertiser {
  /** The instance name advertised: the configured one, or the next free one after a conflict. */
  name(): Promise<string>;
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
    log.warn({ err }, 'mDNS error; the hub keeps serving, laptops may not find it by name')
  );
  const current: HubTxt = { lastSync: 'never', ...txt };
  const wanted = `${config.mdnsName}-${config.hubId}`;
  let stopped = false;
  const publish = (name: string): Service => {
    // Probed by freeName() just before: bonjour-service's own probe would only stop on a conflict.
    const s = bonjour.publish({ name, type: SERVICE_TYPE, port, txt: { ...current }, probe: false });
    s.on('error', (err: unknown) => log.warn({ err }, 'mDNS publication failed'));
    return s;
  };
  const chosen = freeName(bonjour, wanted).then((name) => {
    if (name !== wanted)
      log.warn(
        { wanted, name },
        'mDNS name already in use on this network (another hub, or a spare Pi with the same id): advertising under the next free name (RFC 6762 §9)'
      );
    return name;
  });
  let service: Promise<Service | null> = chosen.then((name) => {
    if (stopped) return null;
    log.info({ type: `_${SERVICE_TYPE}._tcp`, name, port }, 'advertising on mDNS');
    return publish(name);
  });
  service.catch((err: unknown) => log.warn({ err }, 'mDNS publication failed; the hub keeps serving'));
  return {
    name: () => chosen,
    update(change) {
      if (Object.entries(change).every(([k, v]) => current[k as keyof HubTxt] === v)) return;
      Object.assign(current, change);
      // bonjour-service 1.x cannot change a published TXT: say goodbye and publish again.
      service = service.then(
        (s) =>
          new Promise<Service | null>((resolve) => {
            if (!s || stopped) return void resolve(s);
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call -- bonjour-service types stop() as a bare Function
            s.stop(() => void chosen.then((name) => resolve(stopped ? null : publish(name))));
          })
      );
    },
    async stop() {
      stopped = true;
      await service.catch(() => null);
      await new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => {
          bonjour.destroy();
          resolve();
        });
      });
    },
  };
}

/** The mDNS instance name with a number, as RFC 6762 §9 suggests: "espace-kayes-01 (2)". */
export function nthName(base: string, n: number): string {
  return n === 1 ? base : `${base} (${n})`;
}

/**
 * The first of `base`, `base (2)`, `base (3)`… that no one on the link answers for: three
 * queries 250 ms apart (RFC 6762 §8.1's probing), then the name is ours.
 */
async function freeName(bonjour: Bonjour, base: string): Promise<string> {
  const mdns = (bonjour as unknown as { server: { mdns: MulticastDns } }).server.mdns;
  for (let n = 1; n < 100; n += 1) {
    const name = nthName(base, n);
    if (!(await answered(mdns, `${name}._${SERVICE_TYPE}._tcp.local`))) return name;
  }
  throw new Error(`no free mDNS name from "${base}" to "${nthName(base, 99)}"`);
}

interface MulticastDns {
  query(name: string, type: string, cb?: () => void): void;
  on(event: 'response', fn: (packet: { answers: { name: string }[]; additionals?: { name: string }[] }) => void): void;
  removeListener(event: 'response', fn: (packet: { answers: { name: string }[]; additionals?: { name: string }[] }) => void): void;
}

function answered(mdns: MulticastDns, fqdn: string): Promise<boolean> {
  const same = (n: string) => n.toLowerCase() === fqdn.toLowerCase();
  return new Promise((resolve) => {
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    const onResponse = (packet: { answers: { name: string }[]; additionals?: { name: string }[] }) => {
      if (packet.answers.some((a) => same(a.name)) || (packet.additionals ?? []).some((a) => same(a.name))) done(true);
    };
    const done = (taken: boolean) => {
      clearTimeout(timer);
      mdns.removeListener('response', onResponse);
      resolve(taken);
    };
    const ask = () => {
      if (tries++ === 3) return void done(false);
      mdns.query(fqdn, 'ANY');
      timer = setTimeout(ask, 250);
    };
    mdns.on('response', onResponse);
    ask();
  });
}
