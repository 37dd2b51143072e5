#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real, only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
command -v nft >/dev/null || need+=(nftables)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v opusenc >/dev/null || need+=(opus-tools)
command -v sox >/dev/null || need+=(sox)
command -v nmcli >/dev/null || need+=(network-manager)
# Debian's nginx, as the Pi gets it (the front uses auth_request; Trixie has no nginx-light).
[ -x /usr/sbin/nginx ] || need+=(nginx)
command -v kiwix-serve >/dev/null || need+=(kiwix-tools)
command -v zimwriterfs >/dev/null || need+=(zim-tools)
command -v Xvfb >/dev/null || need+=(xvfb)
# The kiosk: xset (screen blanking), xwd (smoke screenshot), python3 (a stand-in $NOTIFY_SOCKET).
command -v xset >/dev/null || need+=(x11-xserver-utils)
command -v xwd >/dev/null || need+=(x11-apps)
command -v python3 >/dev/null || need+=(python3)
# SMS: a private message bus for the ModemManager stand-in (tests/support/modem-manager.ts).
command -v dbus-daemon >/dev/null || need+=(dbus)
# HTTPS for phones: Chromium's trust store (certutil), and central's ACME orders end to end —
# pebble (the ACME test CA), BIND as the hubs' zone (named, tsig-keygen), nsupdate (RFC 2136),
# openssl (pebble's own HTTPS certificate).
command -v certutil >/dev/null || need+=(libnss3-tools)
command -v pebble >/dev/null || need+=(pebble)
[ -x /usr/sbin/named ] || command -v named >/dev/null || need+=(bind9)
command -v nsupdate >/dev/null || need+=(bind9-dnsutils)
command -v openssl >/dev/null || need+=(openssl)
# The Debian root provision apply is tested in (tests/support/debian-root.sh).
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
command -v eatmydata >/dev/null || need+=(eatmydata)
# make test-image only (install-test-deps.sh image): qemu boots the golden image.
if [ "${1:-}" = image ]; then command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing system packages: ${need[*]} — install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "installing ${need[*]} from Debian…"
  export DEBIAN_FRONTEND=noninteractive
  # Packages like nginx would start their service on install; the tests start their own.
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  [ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ $had_policy = 1 ] || rm -f "$policy"
fi
