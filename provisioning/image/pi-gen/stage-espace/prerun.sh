#!/bin/bash -e
# pi-gen: start from stage4's root, after checking what the build cannot do without.
if [ -z "${FIRST_USER_PASS}" ] || [ "${FIRST_USER_PASS}" = raspberry ] || [[ "${FIRST_USER_PASS,,}" == *change*me* ]]; then
  echo "FIRST_USER_PASS is empty or a placeholder: give the technicians' password, e.g. FIRST_USER_PASS='…' ./build.sh" >&2
  exit 1
fi
if [ ! -f "${ESPACE_APP_DIR}/dist/bundle/espace.js" ] || [ ! -d "${ESPACE_APP_DIR}/node_modules" ]; then
  echo "ESPACE_APP_DIR must be this project built for arm64 (dist/ and node_modules/): see provisioning/image/README.md, step 1" >&2
  exit 1
fi
if [ ! -d "${ROOTFS_DIR}" ]; then
  copy_previous
fi
