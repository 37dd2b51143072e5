#!/bin/bash -e
# pi-gen (inside the image, under qemu): lock Electron, fill the package cache, and leave the
# services off until the first boot applies the space's profile.
ELECTRON_PATH=/opt/electron/electron /usr/local/bin/node /opt/espace/dist/bundle/espace.js kiosk fuses
# The .debs of every feature a profile can turn on: apply reinstalls from here with no uplink.
mkdir -p /var/cache/espace/debs/partial
apt-get install -y --reinstall --download-only --no-install-recommends -o Dir::Cache::Archives=/var/cache/espace/debs \
  $(grep -v '^#' /dev/stdin <<'LIST'
ca-certificates curl nftables dnsmasq nginx fake-hwclock systemd-timesyncd systemd-zram-generator polkitd
network-manager modemmanager usb-modeswitch avahi-daemon openssh-server hostapd lightdm labwc
LIST
)
# Debian starts dnsmasq with a default configuration (DNS on every interface): off until the profile.
systemctl disable dnsmasq.service
# nginx too (Debian's default site on port 80): the profile gives it the front's configuration.
systemctl disable nginx.service
systemctl mask hostapd.service
systemctl enable espace-firstboot.service
/usr/local/bin/node --version
