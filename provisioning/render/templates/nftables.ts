import type { SpaceProfile } from '../../profile/index.js';
import { header } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';
import { FRONT_PORT } from './nginx.js';

export const NFT_PATH = '/etc/espace/nftables.nft';

/**
 * One table of our own (reloaded whole by espace-firewall.service, so the rest of the Pi's
 * ruleset is untouched). Inbound, only the space's network reaches anything: the hub, DNS,
 * DHCP, mDNS, and ssh when the profile allows it. From the uplink (the 3G/4G modem, a wired
 * line, anything that is not the LAN) nothing comes in but the answers to what the Pi asked.
 * Nothing is forwarded. Phone-to-phone traffic on the same Wi-Fi never reaches the kernel's
 * forward path: the access point isolates clients.
 */
export function nftables(p: SpaceProfile): RenderedFile {
  const i = JSON.stringify(p.lan.interface);
  const tcp = [53, FRONT_PORT, p.hub.port, ...(p.hub.tlsDomain ? [p.hub.tlsPort] : []), ...(p.hub.ssh ? [22] : [])].join(', ');
  const content =
    '#!/usr/sbin/nft -f\n' +
    header('#', `firewall: the space's network on ${p.lan.interface}, the uplink closed`) +
    `# Declaring then deleting makes reloading this file replace the table in one transaction.\n` +
    `table inet espace\ndelete table inet espace\n\n` +
    `table inet espace {\n` +
    `\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n` +
    `\t\t# Captive portal: any web request from a phone, whatever address it asked, goes to the\n` +
    `\t\t# nginx front on port ${FRONT_PORT} (which proxies to the hub on ${p.hub.port} and sends media).\n` +
    `\t\tiifname ${i} tcp dport 80 redirect to :${FRONT_PORT}\n` +
    (p.hub.tlsDomain ? `\t\tiifname ${i} tcp dport 443 redirect to :${p.hub.tlsPort}\n` : '') +
    `\t}\n\n` +
    `\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n` +
    `\t\tiif lo accept\n` +
    `\t\tct state established,related accept\n\t\tct state invalid drop\n` +
    `\t\t# IPv6 does not work without neighbour discovery, on any link.\n` +
    `\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, packet-too-big } accept\n` +
    `\t\tiifname ${i} jump lan\n` +
    `\t\t# Everything else (the uplink) is dropped without an answer.\n\t}\n\n` +
    `\tchain lan {\n` +
    `\t\tmeta l4proto { icmp, ipv6-icmp } accept\n` +
    `\t\t# DNS, DHCP and mDNS for phones and laptops.\n` +
    `\t\tudp dport { 53, 67, 5353 } accept\n` +
    `\t\t# The hub (portal and console${p.hub.ssh ? ') and ssh' : ')'}: on the space's network only.\n` +
    `\t\ttcp dport { ${tcp} } accept\n` +
    `\t\treject with icmpx admin-prohibited\n\t}\n\n` +
    `\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n` +
    `\t\t# Nothing from the space reaches the uplink (or anything else); refuse fast so phones give up quickly.\n` +
    `\t\tiifname ${i} meta l4proto tcp reject with tcp reset\n` +
    `\t\tiifname ${i} reject with icmpx admin-prohibited\n\t}\n` +
    `}\n`;
  return { path: NFT_PATH, content, mode: 0o644, owner: 'root', onChange: [restart('espace-firewall.service')] };
}
