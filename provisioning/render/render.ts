import type { SpaceProfile } from '../profile/index.js';
import { dnsmasq } from './templates/dnsmasq.js';
import { avahiService, hostname, hosts } from './templates/host.js';
import { hubConfig, hubSecrets } from './templates/hub-config.js';
import { kioskFiles } from './templates/kiosk.js';
import { hostapd, nmAccessPoint, nmWiredLan, sysctl, wifiCountry } from './templates/network.js';
import { nftables } from './templates/nftables.js';
import { nginxFront, PLAYS_KEY_PATH_UNIT } from './templates/nginx.js';
import { backupUnits, dataMount, fstab, journald, overlayRoot, watchdog, zram } from './templates/storage.js';
import { apAddressUnit, firewallUnit, firstBootUnit, hubUnit, hubWatchdogUnits, sysusers, timesyncd, tmpfiles } from './templates/systemd.js';
import { gsmUplink, wiredUplink } from './templates/uplink.js';
import type { Rendered, RenderedFile } from './types.js';

/**
 * Debian packages each part needs, the same names on Raspberry Pi OS Trixie and Bookworm.
 * Raspberry Pi OS with desktop already has lightdm and labwc; a Lite image gets them here.
 */
const PACKAGES = {
  base: ['ca-certificates', 'curl', 'nftables', 'dnsmasq', 'nginx', 'fake-hwclock', 'systemd-timesyncd', 'systemd-zram-generator', 'polkitd'],
  networkmanager: ['network-manager'],
  hostapd: ['hostapd'],
  avahi: ['avahi-daemon'],
  // usb-modeswitch turns the dongles that first show up as a CD-ROM (most Huawei and ZTE) into modems.
  gsm: ['network-manager', 'modemmanager', 'usb-modeswitch'],
  ssh: ['openssh-server'],
  kiosk: ['lightdm', 'labwc'],
} as const;

/** Every system file of a space, for Raspberry Pi OS Trixie or Bookworm. Pure: same profile, same files. */
export function renderProfile(p: SpaceProfile, version: string): Rendered {
  const files: RenderedFile[] = [
    hubConfig(p),
    hubSecrets(p),
    hostname(p),
    hosts(p),
    dnsmasq(p),
    nftables(p),
    ...nginxFront(p),
    sysctl(),
    sysusers(p),
    tmpfiles(p),
    journald(p),
    zram(p),
    watchdog(p),
    fstab(),
    overlayRoot(p),
    timesyncd(),
    hubUnit(p),
    ...hubWatchdogUnits(p),
    firewallUnit(p),
    firstBootUnit(p),
    ...dataMount(p),
    ...backupUnits(p),
    ...gsmUplink(p),
    ...wiredUplink(p),
  ];
  const packages: string[] = [...PACKAGES.base];
  const enable = [
    'espace-firewall.service',
    'espace-hub.service',
    'nginx.service',
    PLAYS_KEY_PATH_UNIT,
    'espace-hub-watchdog.timer',
    'espace-firstboot.service',
    'dnsmasq.service',
    'systemd-timesyncd.service',
    'fake-hwclock.service',
  ];
  // A swap file on the card (Raspberry Pi OS's dphys-swapfile) is replaced by zram.
  const disable: string[] = ['dphys-swapfile.service'];
  const unmask: string[] = [];

  switch (p.accessPoint.via) {
    case 'external':
      files.push(nmWiredLan(p));
      packages.push(...PACKAGES.networkmanager);
      disable.push('hostapd.service');
      break;
    case 'networkmanager':
      files.push(nmAccessPoint(p), wifiCountry(p));
      packages.push(...PACKAGES.networkmanager);
      disable.push('hostapd.service');
      break;
    case 'hostapd':
      files.push(...hostapd(p), wifiCountry(p), apAddressUnit(p));
      packages.push(...PACKAGES.hostapd, ...PACKAGES.networkmanager);
      // Debian ships hostapd masked until it is configured.
      unmask.push('hostapd.service');
      enable.push('hostapd.service', 'espace-ap-address.service');
      break;
  }
  enable.push('NetworkManager.service');
  if (p.hub.mdns === 'avahi') {
    files.push(avahiService(p, version));
    packages.push(...PACKAGES.avahi);
    enable.push('avahi-daemon.service');
  }
  if (p.uplink.gsm) {
    packages.push(...PACKAGES.gsm);
    enable.push('ModemManager.service');
  }
  if (p.hub.ssh) {
    packages.push(...PACKAGES.ssh);
    enable.push('ssh.service');
  } else {
    disable.push('ssh.service');
  }
  if (p.storage.dataDevice) enable.push('var-lib-espace.mount');
  if (p.storage.backup.usb) enable.push('espace-backup.timer');
  if (p.kiosk.enabled) {
    files.push(...kioskFiles(p));
    packages.push(...PACKAGES.kiosk);
    enable.push('lightdm.service');
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, packages: [...new Set(packages)].sort(), enable, disable, unmask };
}
