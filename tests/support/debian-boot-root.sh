#!/usr/bin/env bash
# The Debian root of tests/support/debian-root.sh made bootable under qemu: a copy of it with
# Debian's kernel and initramfs (linux-image-amd64), cached next to it under var/debian-root/.
# x86-64 stands in for the Pi's arm64: same Debian, same systemd, same units.
#   tests/support/debian-boot-root.sh [SUITE]   → prints the bootable root's directory
set -euo pipefail
suite=${1:-trixie}
here=$(cd "$(dirname "$0")/../.." && pwd)
base_root=$(bash "$here/tests/support/debian-root.sh" "$suite")
root="$base_root-boot"
exec 8>"$base_root.boot-lock"
flock 8
if [ ! -e "$root/.complete" ]; then
  rm -rf "$root" "$root.tmp"
  start=$(date +%s)
  {
    cp -a --reflink=auto "$base_root" "$root.tmp"
    rm -f "$root.tmp/.complete"
    # The kernel's postinst builds the initramfs (initramfs-tools, MODULES=most: virtio included).
    unshare --mount --propagation private -- sh -c '
      mount -t proc proc "$0/proc" && mount --bind /dev "$0/dev" && mount -t sysfs sys "$0/sys" &&
      DEBIAN_FRONTEND=noninteractive chroot "$0" apt-get -q install -y --no-install-recommends linux-image-amd64 initramfs-tools zstd' "$root.tmp" >/dev/null
    ls "$root.tmp"/boot/vmlinuz-* "$root.tmp"/boot/initrd.img-* >/dev/null
    touch "$root.tmp/.complete"
    mv "$root.tmp" "$root"
  } >&2
  echo "built $root in $(( $(date +%s) - start )) s" >&2
fi
echo "$root"
