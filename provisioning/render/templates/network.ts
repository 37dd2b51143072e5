import type { SpaceProfile } from '../../profile/index.js';
import { parseCidr } from '../../profile/index.js';
import { header, keyfileValue, stableUuid } from '../escape.js';
import { restart, type RenderedFile } from '../types.js';

export const AP_CONNECTION = 'espace-ap';
export const LAN_CONNECTION = 'espace-lan';
const NM_DIR = '/etc/NetworkManager/system-connections';

function ipv4Section(p: SpaceProfile): string {
  const prefix = parseCidr(p.lan.subnet)!.prefix;
  // Manual, not "shared": our dnsmasq gives addresses and answers DNS; NM's own would fight it.
  // never-default: the space's network is never the Pi's way to the Internet.
  return `[ipv4]\naddress1=${p.lan.hubAddress}/${prefix}\nmethod=manual\nnever-default=true\n\n[ipv6]\naddr-gen-mode=default\nmethod=disabled\n`;
}

/** NetworkManager access point on the Pi's own radio (Bookworm's default network stack). */
export function nmAccessPoint(p: SpaceProfile): RenderedFile {
  const ap = p.accessPoint;
  const security = ap.passphrase
    ? // WPA2 only (rsn + ccmp): the phones of the space all speak it; PMF off for older Android.
      `\n[wifi-security]\ngroup=ccmp;\nkey-mgmt=wpa-psk\npairwise=ccmp;\npmf=1\nproto=rsn;\npsk=${keyfileValue(ap.passphrase)}\n`
    : '';
  const content =
    header('#', `the space's Wi-Fi access point on ${p.lan.interface}`) +
    `[connection]\nid=${AP_CONNECTION}\nuuid=${stableUuid(p.hubId, AP_CONNECTION)}\ntype=wifi\nautoconnect-priority=100\ninterface-name=${p.lan.interface}\n\n` +
    `[wifi]\nap-isolation=${ap.isolateClients ? 1 : 0}\nband=${ap.band}\nchannel=${ap.channel}\nmode=ap\nssid=${keyfileValue(ap.ssid)}\n` +
    security +
    '\n' +
    ipv4Section(p);
  return { path: `${NM_DIR}/${AP_CONNECTION}.nmconnection`, content, mode: 0o600, owner: 'root', onChange: [{ kind: 'nm-up', connection: AP_CONNECTION }] };
}

/** A fixed address on the wired interface the external access point is plugged into. */
export function nmWiredLan(p: SpaceProfile): RenderedFile {
  const content =
    header('#', `the space's network on ${p.lan.interface}, behind an external access point`) +
    `[connection]\nid=${LAN_CONNECTION}\nuuid=${stableUuid(p.hubId, LAN_CONNECTION)}\ntype=ethernet\nautoconnect-priority=100\ninterface-name=${p.lan.interface}\n\n` +
    `[ethernet]\n\n` +
    ipv4Section(p);
  return { path: `${NM_DIR}/${LAN_CONNECTION}.nmconnection`, content, mode: 0o600, owner: 'root', onChange: [{ kind: 'nm-up', connection: LAN_CONNECTION }] };
}

/** hostapd on wlan0, which NetworkManager must then leave alone. */
export function hostapd(p: SpaceProfile): RenderedFile[] {
  const ap = p.accessPoint;
  const hwMode = ap.band === 'bg' ? 'g' : 'a';
  const security = ap.passphrase ? `wpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_passphrase=${ap.passphrase}\n` : '';
  const conf =
    header('#', `the space's Wi-Fi access point (hostapd) on ${p.lan.interface}`) +
    `interface=${p.lan.interface}\ndriver=nl80211\nssid2=${JSON.stringify(ap.ssid)}\nutf8_ssid=1\ncountry_code=${ap.country}\nieee80211d=1\n` +
    `hw_mode=${hwMode}\nchannel=${ap.channel}\nieee80211n=1\nwmm_enabled=1\nauth_algs=1\nignore_broadcast_ssid=0\n` +
    `# Phones cannot reach each other: only the hub.\nap_isolate=${ap.isolateClients ? 1 : 0}\nmax_num_sta=40\n` +
    security;
  const unmanaged =
    header('#', `hostapd drives ${p.lan.interface}, so NetworkManager must not`) + `[keyfile]\nunmanaged-devices=interface-name:${p.lan.interface}\n`;
  return [
    { path: '/etc/hostapd/hostapd.conf', content: conf, mode: 0o600, owner: 'root', onChange: [restart('hostapd.service')] },
    { path: '/etc/NetworkManager/conf.d/espace-unmanaged.conf', content: unmanaged, mode: 0o644, owner: 'root', onChange: [restart('NetworkManager.service')] },
  ];
}

/**
 * The Wi-Fi regulatory domain. Bookworm's raspi-config puts cfg80211.ieee80211_regdom on the
 * kernel command line; the same cfg80211 option as a modprobe setting lives in the root file
 * system, so one render carries it (apply also runs raspi-config when it is there).
 */
export function wifiCountry(p: SpaceProfile): RenderedFile {
  return {
    path: '/etc/modprobe.d/espace-wifi-country.conf',
    content: header('#', 'the Wi-Fi regulatory domain') + `options cfg80211 ieee80211_regdom=${p.accessPoint.country}\n`,
    mode: 0o644,
    owner: 'root',
    onChange: [{ kind: 'wifi-country', country: p.accessPoint.country }],
  };
}

/** Nothing is routed: the hub serves the space; the uplink is only for the hub's own sync. */
export function sysctl(): RenderedFile {
  return {
    path: '/etc/sysctl.d/90-espace.conf',
    content: header('#', 'no routing between the space and the uplink') + 'net.ipv4.ip_forward = 0\nnet.ipv6.conf.all.forwarding = 0\n',
    mode: 0o644,
    owner: 'root',
    onChange: [{ kind: 'sysctl' }],
  };
}
