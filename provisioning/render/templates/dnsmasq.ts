import type { SpaceProfile } from '../../profile/index.js';
import { parseCidr } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';

/**
 * DHCP and the captive DNS for the space's network only: every name answers the hub's address
 * with TTL 0 (so phones ask again once they leave), and DHCP option 114 (RFC 8910) tells
 * phones that know it where the portal is.
 */
export function dnsmasq(p: SpaceProfile): RenderedFile {
  const i = p.lan.interface;
  const hub = p.lan.hubAddress;
  const { netmask } = parseCidr(p.lan.subnet)!;
  const secure = p.hub.tlsDomain ? `${p.hubId}.${p.hub.tlsDomain}` : '';
  const content =
    header('#', `DHCP and captive DNS on ${i}`) +
    `# Only the space's network: the Pi's own resolver and the uplink are left alone.\n` +
    `interface=${i}\nexcept-interface=lo\nbind-dynamic\n` +
    `# No upstream: the space is offline by design, every name is the hub.\n` +
    `no-resolv\nno-hosts\naddress=/#/${hub}\nlocal-ttl=0\nmax-ttl=0\nneg-ttl=0\n` +
    (secure ? `# The hub's HTTPS name (its certificate's) is the hub on this network too.\naddress=/${secure}/${hub}\n` : '') +
    `domain-needed\nbogus-priv\n` +
    `dhcp-authoritative\n` +
    `dhcp-range=${i},${p.lan.dhcp.from},${p.lan.dhcp.to},${netmask},${p.lan.dhcp.leaseHours}h\n` +
    `dhcp-option=${i},option:router,${hub}\n` +
    `dhcp-option=${i},option:dns-server,${hub}\n` +
    // RFC 8910: option 114 is the RFC 8908 API's address, which must be HTTPS.
    (secure ? `dhcp-option=${i},114,"https://${secure}/captive-portal/api"\n` : `dhcp-option=${i},114,"http://${p.hub.dnsName}/"\n`) +
    `# Leases survive a restart without wearing the SD card with logs.\n` +
    `dhcp-leasefile=/var/lib/misc/dnsmasq.leases\nquiet-dhcp\n`;
  return { path: '/etc/dnsmasq.d/espace.conf', content, mode: 0o644, owner: 'root', onChange: [restart('dnsmasq.service')] };
}
