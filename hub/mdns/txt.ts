/** The mDNS service type every hub advertises, and every `espace discover` looks for. */
export const SERVICE_TYPE = 'espace-hub';

/** The TXT record: small (one UDP packet), and nothing secret — anyone on the LAN reads it. */
export interface HubTxt {
  id: string;
  name: string;
  version: string;
  status: string;
  /** ISO time of the last successful sync, or "never" (an empty TXT value does not survive mDNS). */
  lastSync: string;
}

/**
 * multicast-dns options: pinned to one interface's address when given (its own multicast
 * group bind, so a loopback advertiser and browser find each other), else every interface.
 */
export function bonjourOptions(iface?: string): Record<string, string> {
  return iface ? { interface: iface, bind: '224.0.0.251' } : {};
}
