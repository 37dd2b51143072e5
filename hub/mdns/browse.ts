import { Bonjour, type Service } from 'bonjour-service';
import { bonjourOptions, SERVICE_TYPE, type HubTxt } from './txt.js';

export interface FoundHub extends Omit<HubTxt, 'lastSync'> {
  /** ISO time, "never", or null when the publisher does not say (avahi's static record). */
  lastSync: string | null;
  /** The mDNS instance name. */
  instance: string;
  address: string;
  port: number;
  url: string;
}

/**
 * Browses for hubs for `timeoutMs` and returns each once (by instance name: a spare Pi with
 * the same hub id shows as a second line under its own name). `iface` is the address of
 * the interface to listen on (all when absent).
 */
export async function browseHubs(timeoutMs: number, iface?: string): Promise<FoundHub[]> {
  const bonjour = new Bonjour(bonjourOptions(iface));
  const found = new Map<string, FoundHub>();
  try {
    const browser = bonjour.find({ type: SERVICE_TYPE }, (s: Service) => {
      const t = (s.txt ?? {}) as Record<string, string | boolean | Buffer | undefined>;
      const str = (k: string) => (t[k] === undefined ? '' : String(t[k]));
      const address = s.addresses?.find((a) => a.includes('.')) ?? s.referer?.address ?? s.host;
      const hub: FoundHub = {
        instance: s.name,
        id: str('id') || s.name,
        name: str('name'),
        version: str('version'),
        status: str('status'),
        // avahi's static publication carries no lastSync: unknown, not "never".
        lastSync: t.lastSync === undefined ? null : str('lastSync'),
        address,
        port: s.port,
        url: `http://${address}${s.port === 80 ? '' : `:${s.port}`}/`,
      };
      found.set(hub.instance, hub);
    });
    await new Promise((r) => setTimeout(r, timeoutMs));
    browser.stop();
  } finally {
    bonjour.destroy();
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id) || a.instance.localeCompare(b.instance));
}
