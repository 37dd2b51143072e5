#!/usr/bin/env bash
# Builds (once, then cached under var/debian-root/) a minimal Debian root standing for a
# Raspberry Pi OS card: minbase + systemd + what Raspberry Pi OS's desktop image already has for
# the kiosk (lightdm, labwc), with Raspberry Pi OS's own autologin of its first user in
# /etc/lightdm/lightdm.conf. The tests overlay it and run `espace provision apply --root` in it.
# Also fills a cache of the .debs apply will install, so the tests need no network once built.
#   tests/support/debian-root.sh [SUITE]   → prints the root's directory
set -euo pipefail
suite=${1:-trixie}
here=$(cd "$(dirname "$0")/../.." && pwd)
base="${ESPACE_ROOT_CACHE:-$here/var/debian-root}"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
include=systemd,systemd-sysv,dbus,lightdm,labwc,ca-certificates
# What apply installs for the demo profile, from the renderer itself (dist/ must be built).
apply_pkgs=$(cd "$here" && node --input-type=module -e "
  const { loadProfile } = await import('./dist/provisioning/profile/index.js');
  const { renderProfile } = await import('./dist/provisioning/render/index.js');
  console.log(renderProfile(loadProfile('provisioning/profiles/demo.yaml'), '0').packages.join(' '));")
key=$(printf '%s\n' "v1" "$suite" "$include" "$apply_pkgs" | sha256sum | cut -c1-12)
root="$base/$suite-$key"
debs="$base/debs-$suite"
mkdir -p "$base" "$debs/partial"
exec 9>"$base/.lock"
flock 9
if [ ! -e "$root/.complete" ]; then
  rm -rf "$root"
  start=$(date +%s)
  {
    command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: make test-deps installs it" >&2; exit 1; }
    # mmdebstrap (apt inside) rather than debootstrap: it resolves alternatives (lightdm's
    # greeter) and was no slower here. eatmydata and force-unsafe-io: this root is a test
    # fixture, rebuilt at will, so dpkg's fsyncs buy nothing.
    mmdebstrap --variant=minbase --mode=root --include="$include" \
      --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata --dpkgopt=force-unsafe-io --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --skip=cleanup/apt/lists --skip=download/empty \
      --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
      --setup-hook="sync-in $debs /var/cache/apt/archives/" \
      --customize-hook="sync-out /var/cache/apt/archives $debs" \
      --customize-hook='printf "%s\n" "[Seat:*]" "autologin-user=pi" "autologin-session=rpd-labwc" >> "$1"/etc/lightdm/lightdm.conf' \
      --customize-hook='echo espace-test > "$1"/etc/hostname' \
      "$suite" "$root.tmp" "$mirror"
    # The .debs apply will want, downloaded now with the root's own apt.
    mkdir -p "$root.tmp/var/cache/espace/debs"
    unshare --mount --propagation private -- sh -c '
      mount --bind "$1" "$0/var/cache/espace/debs" && mount -t proc proc "$0/proc" &&
      chroot "$0" apt-get -q -o Dir::Cache::Archives=/var/cache/espace/debs install -y --download-only --no-install-recommends $2' "$root.tmp" "$debs" "$apply_pkgs" >/dev/null
    rm -rf "$root.tmp/var/cache/espace"
    touch "$root.tmp/.complete"
    mv "$root.tmp" "$root"
  } >&2
  echo "built $root in $(( $(date +%s) - start )) s" >&2
fi
echo "$root"
