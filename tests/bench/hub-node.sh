#!/usr/bin/env bash
# Prints the Node binary `make bench HUB_NODE=…` runs the hubs with (ESPACE_HUB_NODE):
#   (empty)       nothing: the hubs run on the bench's own Node
#   image         the Node the Pi image installs (NODE_VERSION in provisioning/image/versions.env),
#                 built for this machine: npm's node-linux-<arch> package (nodejs.org's build,
#                 as the image takes it for arm64), fetched once into var/node/
#   /path/to/node that one
set -euo pipefail
want="${1:-}"
[ -z "$want" ] && exit 0
if [ "$want" != image ]; then
  if [ ! -x "$want" ]; then
    echo "hub-node: HUB_NODE=$want is not an executable; give the path to a node binary, or HUB_NODE=image" >&2
    exit 1
  fi
  realpath "$want"
  exit 0
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(sed -n 's/^NODE_VERSION=//p' "$root/provisioning/image/versions.env")"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *)
    echo "hub-node: no node-linux package for $(uname -m); give HUB_NODE=/path/to/node" >&2
    exit 1
    ;;
esac
dir="$root/var/node/node-v$version-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # npm checks the tarball against the registry's integrity; its install scripts never run.
  if ! (cd "$tmp" && npm pack "node-linux-$arch@$version" --silent >/dev/null); then
    echo "hub-node: could not fetch node-linux-$arch@$version from the npm registry; check the network, or give HUB_NODE=/path/to/node" >&2
    exit 1
  fi
  mkdir -p "$tmp/x" && tar xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$tmp/x"
  rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$tmp/x/package" "$dir"
fi
echo "$dir/bin/node"
