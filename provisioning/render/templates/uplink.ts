import type { SpaceProfile } from '../../profile/index.js';
import { gsmSettings } from '../../profile/index.js';
import { header, keyfileValue, stableUuid } from '../escape.js';
import type { RenderedFile } from '../types.js';

export const GSM_CONNECTION = 'espace-uplink-gsm';
export const WIRED_UPLINK_CONNECTION = 'espace-uplink-wired';
const NM_DIR = '/etc/NetworkManager/system-connections';

/** NetworkManager's connection.metered: 1 yes, 2 no. Metered tells NM and apps to spare data. */
const metered = (yes: boolean) => (yes ? 1 : 2);

/**
 * The 3G/4G USB modem as the uplink: NetworkManager brings up data through ModemManager, which
 * keeps owning the modem, so the hub can send and read SMS through ModemManager's D-Bus API
 * at the same time (on modems with a single AT port and PPP, SMS wait until data is down).
 * Any modem (no device name): the dongle is what is plugged in. Retries forever: the network
 * comes and goes.
 */
export function gsmUplink(p: SpaceProfile): RenderedFile[] {
  const g = p.uplink.gsm;
  if (!g) return [];
  const s = gsmSettings(g);
  const content =
    header('#', 'the uplink: a 3G/4G USB modem through ModemManager') +
    `[connection]\nid=${GSM_CONNECTION}\nuuid=${stableUuid(p.hubId, GSM_CONNECTION)}\ntype=gsm\nautoconnect=true\nautoconnect-retries=0\nmetered=${metered(g.metered)}\n\n` +
    `[gsm]\napn=${keyfileValue(s.apn)}\n` +
    (s.username ? `username=${keyfileValue(s.username)}\n` : '') +
    (s.password ? `password=${keyfileValue(s.password)}\npassword-flags=0\n` : '') +
    (g.simPin ? `pin=${g.simPin}\npin-flags=0\n` : '') +
    `\n[ipv4]\nmethod=auto\nroute-metric=700\n\n[ipv6]\naddr-gen-mode=default\nmethod=auto\n`;
  // The hub's SMS (ModemManager's Messaging interface) under its own account; polkit asks
  // nothing of root, and denies other users by default.
  const polkit =
    header('//', "the hub's account may use the modem's SMS through ModemManager") +
    `polkit.addRule(function (action, subject) {\n` +
    `  if (subject.user === "espace" && (action.id === "org.freedesktop.ModemManager1.Messaging" || action.id === "org.freedesktop.ModemManager1.USSD")) {\n` +
    `    return polkit.Result.YES;\n  }\n});\n`;
  return [
    { path: `${NM_DIR}/${GSM_CONNECTION}.nmconnection`, content, mode: 0o600, owner: 'root', onChange: [{ kind: 'nm-reload' }] },
    { path: '/etc/polkit-1/rules.d/50-espace-modem.rules', content: polkit, mode: 0o644, owner: 'root', onChange: [] },
  ];
}

/** A wired uplink (an ADSL box, a router): DHCP, never the phones' interface. */
export function wiredUplink(p: SpaceProfile): RenderedFile[] {
  const w = p.uplink.wired;
  if (!w) return [];
  const content =
    header('#', `the uplink: a wired line on ${w.interface}`) +
    `[connection]\nid=${WIRED_UPLINK_CONNECTION}\nuuid=${stableUuid(p.hubId, WIRED_UPLINK_CONNECTION)}\ntype=ethernet\nautoconnect=true\nautoconnect-retries=0\ninterface-name=${w.interface}\nmetered=${metered(w.metered)}\n\n` +
    `[ethernet]\n\n[ipv4]\nmethod=auto\nroute-metric=100\n\n[ipv6]\naddr-gen-mode=default\nmethod=auto\n`;
  return [{ path: `${NM_DIR}/${WIRED_UPLINK_CONNECTION}.nmconnection`, content, mode: 0o600, owner: 'root', onChange: [{ kind: 'nm-reload' }] }];
}
