#!/usr/bin/env bash
# A bootable disk of the golden image for qemu (make test-image): the cached Debian Trixie root
# with Debian's kernel (debian-boot-root.sh), the app at /opt/espace and Node at
# /usr/local/bin/node as the pi-gen stage puts them, then `espace provision apply --root` with
# PROFILE, packed into an ext4 file system image with mkfs.ext4 -d.
#   tests/support/image-disk.sh OUT_DIR [PROFILE]
#   → OUT_DIR/disk.img, OUT_DIR/vmlinuz, OUT_DIR/initrd.img; prints the apply time on stderr.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
profile=${2:-$here/provisioning/profiles/demo.yaml}
boot_root=$(bash "$here/tests/support/debian-boot-root.sh" trixie)
debs="$(dirname "$boot_root")/debs-trixie"
mkdir -p "$out"
work=$(mktemp -d "$out/layers.XXXXXX")
root="$work/root"
mkdir -p "$work/upper" "$work/work" "$root"
cleanup() {
  umount --lazy "$root/var/cache/espace/debs" 2>/dev/null || true
  umount --lazy "$root" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mount -t overlay overlay -o "lowerdir=$boot_root,upperdir=$work/upper,workdir=$work/work" "$root"
mkdir -p "$root/var/cache/espace/debs"
mount --bind "$debs" "$root/var/cache/espace/debs"

# The card's own fstab line for / (Raspberry Pi OS has one; apply adds noatime,commit=60 to it).
echo '/dev/vda / ext4 defaults 0 1' > "$root/etc/fstab"
# Node at the one Node path: this machine's binary (x86-64, it runs on Trixie's glibc).
mkdir -p "$root/usr/local/bin"
cp "$(command -v node)" "$root/usr/local/bin/node"
# The app, the parts the pi-gen stage copies (provisioning/image/app-files).
mkdir -p "$root/opt/espace"
while read -r part; do
  case $part in ''|'#'*) continue ;; esac
  mkdir -p "$(dirname "$root/opt/espace/$part")"
  cp -a "$here/$part" "$root/opt/espace/$part"
done < "$here/provisioning/image/app-files"
ln -sfn /opt/espace/dist/bundle/espace.js "$root/usr/local/bin/espace"

# Test fixtures only, never on a card:
# - a root shell on the second serial port (ttyS1), for the test to look inside the booted VM;
# - a stand-in for Electron at the profile's kiosk.electronPath (Electron is arm64-only on the
#   image): it records what `espace kiosk` gave it (the Wayland display of the labwc session),
#   then runs Debian's Chromium (debian-boot-root.sh) on the kiosk page in its place, with
#   DevTools on 127.0.0.1:9222 for the test to ask what it shows, and its log in /tmp.
cat > "$root/etc/systemd/system/espace-test-shell.service" <<'UNIT'
[Unit]
Description=root shell on ttyS1 for tests/image/boot.test.ts (test image only)
[Service]
ExecStart=/bin/sh
StandardInput=tty-force
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS1
Restart=always
# An interactive sh ignores SIGTERM, which would hold the VM's poweroff for 90 s.
KillSignal=SIGKILL
[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/espace-test-shell.service "$root/etc/systemd/system/multi-user.target.wants/espace-test-shell.service"
mkdir -p "$root/opt/electron"
cat > "$root/opt/electron/electron" <<'STANDIN'
#!/bin/sh
# Electron's stand-in in the qemu test image: what the kiosk's unit started, in which session;
# then Debian's Chromium on the kiosk page, as Electron would show it.
printf 'user=%s wayland=%s runtime=%s args=%s\n' "$(id -un)" "$WAYLAND_DISPLAY" "$XDG_RUNTIME_DIR" "$*" > /tmp/espace-kiosk-standin
log=/tmp/espace-kiosk-chromium.log
# Electron's kiosk shows its offline page and retries while the hub starts; Chromium would stay
# on an error page, so the stand-in waits for the hub instead.
until curl -sf -o /dev/null --max-time 5 http://127.0.0.1:8080/health; do sleep 2; done
printf 'chromium starts at %s\n' "$(date +%s)" >> $log
# --single-process (unsafe, never on a card: no sandbox): under software emulation a child
# process (the network service) that the busy browser does not connect within Chromium's fixed
# 15 s gives up; the browser restarts the service but the kiosk page's navigation is lost, and the
# window stays white with no title. One process has no such deadline and starts faster.
exec /usr/bin/chromium --ozone-platform=wayland --kiosk --user-data-dir=/tmp/espace-kiosk-chromium \
  --single-process --no-zygote --no-sandbox \
  --remote-debugging-port=9222 --remote-debugging-address=127.0.0.1 --enable-logging=stderr --v=0 \
  --no-first-run --no-default-browser-check --disable-gpu --disable-dev-shm-usage \
  --disable-background-networking --disable-component-update --disable-breakpad --disable-sync \
  --disable-features=MediaRouter,OptimizationHints,AutofillServerCommunication \
  http://127.0.0.1:8080/kiosk >> $log 2>&1
STANDIN
chmod 755 "$root/opt/electron/electron"
# Chromium offers to translate the French page (its own language is English): the bubble would
# cover the kiosk. A managed policy, as an administrator would turn it off.
mkdir -p "$root/etc/chromium/policies/managed"
echo '{ "TranslateEnabled": false }' > "$root/etc/chromium/policies/managed/espace-test.json"

start=$(date +%s.%N)
node "$here/dist/bundle/espace.js" provision apply --profile "$profile" --root "$root" >&2
printf 'provision apply --root: %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)" >&2

umount "$root/var/cache/espace/debs"
rm -rf "$root/var/cache/espace/debs"
cp -L "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp -L "$root"/boot/initrd.img-* "$out/initrd.img"
rm -f "$out/disk.img"
size=$(( $(du -sm "$root" | cut -f1) + 768 ))
mkfs.ext4 -q -F -L espace-root -d "$root" "$out/disk.img" "${size}M" >&2
