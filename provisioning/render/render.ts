import type { SpaceProfile } from '../profile/index.js';
import { dnsmasq } from './templates/dnsmasq.js';
import { avahiService, hostname, hosts } from './templates/host.js';
import { hubConfig, hubSecrets } from './templates/hub-config.js';
import { kioskFiles } from './templates/kiosk.js';
import { hostapd, nmAccessPoint, nmWiredLan, sysctl, wifiCountry } from './templates/network.js';
import { nftables } from './templates/nftables.js';
import { apAddressUnit, firewallUnit, firstBootUnit, hubUnit, hubWatchdogUnits, journald, sysusers, timesyncd, tmpfiles } from './templates/systemd.js';
import type { Rendered, RenderedFile } from './types.js';

/** Every system file of a space, for Raspberry Pi OS Bookworm. Pure: same profile, same files. */
export function renderProfile(p: SpaceProfile, version: string): Rendered {
  const files: RenderedFile[] = [
    hubConfig(p),
    hubSecrets(p),
    hostname(p),
    hosts(p),
    dnsmasq(p),
    nftables(p),
    sysctl(),
    sysusers(p),
    tmpfiles(p),
    journald(),
    timesyncd(),
    hubUnit(p),
    ...hubWatchdogUnits(p),
    firewallUnit(p),
    firstBootUnit(p),
  ];
  const enable = ['espace-firewall.service', 'espace-hub.service', 'espace-hub-watchdog.timer', 'espace-firstboot.service', 'dnsmasq.service', 'systemd-timesyncd.service', 'fake-hwclock.service'];
  const disable: string[] = [];

  switch (p.accessPoint.via) {
    case 'external':
      files.push(nmWiredLan(p));
      disable.push('hostapd.service');
      break;
    case 'networkmanager':
      files.push(nmAccessPoint(p), wifiCountry(p));
      disable.push('hostapd.service');
      break;
    case 'hostapd':
      files.push(...hostapd(p), wifiCountry(p), apAddressUnit(p));
      enable.push('hostapd.service', 'espace-ap-address.service');
      break;
  }
  if (p.hub.mdns === 'avahi') {
    files.push(avahiService(p, version));
    enable.push('avahi-daemon.service');
  }
  if (p.kiosk.enabled) files.push(...kioskFiles(p));
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, enable, disable };
}
