#!/usr/bin/env bash
# The Debian root of tests/support/debian-root.sh made bootable under qemu: a copy of it with
# Debian's kernel and initramfs (linux-image-amd64), and Debian's Chromium (the kiosk's stand-in
# for Electron in the test image, tests/support/image-disk.sh), cached next to it under
# var/debian-root/. The .debs are kept in var/debian-root/boot-debs-SUITE, so the root is rebuilt
# offline once they are there. x86-64 stands in for the Pi's arm64: same Debian, systemd, units.
#   tests/support/debian-boot-root.sh [SUITE]   → prints the bootable root's directory
set -euo pipefail
suite=${1:-trixie}
here=$(cd "$(dirname "$0")/../.." && pwd)
base_root=$(bash "$here/tests/support/debian-root.sh" "$suite")
# fonts-dejavu-core: Chromium's pages need a font (no recommends, so none comes with it).
pkgs="linux-image-amd64 initramfs-tools zstd chromium fonts-dejavu-core"
key=$(printf '%s\n' v2 "$pkgs" | sha256sum | cut -c1-8)
root="$base_root-boot-$key"
debs="$(dirname "$base_root")/boot-debs-$suite"
mkdir -p "$debs/partial"
exec 8>"$base_root.boot-lock"
flock 8
if [ ! -e "$root/.complete" ]; then
  rm -rf "$root" "$root.tmp"
  start=$(date +%s)
  {
    cp -a --reflink=auto "$base_root" "$root.tmp"
    rm -f "$root.tmp/.complete"
    # The base root keeps apt's lists, so with every .deb in the cache apt needs no network.
    # The kernel's postinst builds the initramfs (initramfs-tools, MODULES=most: virtio included).
    unshare --mount --propagation private -- sh -c '
      mount --bind "$1" "$0/var/cache/apt/archives" &&
      mount -t proc proc "$0/proc" && mount --bind /dev "$0/dev" && mount -t sysfs sys "$0/sys" &&
      DEBIAN_FRONTEND=noninteractive chroot "$0" apt-get -q install -y --no-install-recommends $2' "$root.tmp" "$debs" "$pkgs" >/dev/null
    ls "$root.tmp"/boot/vmlinuz-* "$root.tmp"/boot/initrd.img-* "$root.tmp"/usr/bin/chromium >/dev/null
    touch "$root.tmp/.complete"
    mv "$root.tmp" "$root"
  } >&2
  echo "built $root in $(( $(date +%s) - start )) s" >&2
fi
echo "$root"
