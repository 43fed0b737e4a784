#!/bin/sh
# Prints the bin directory of a Node >= 24 to put first on PATH.
# Uses the machine's node when it is new enough; otherwise fetches the official Node 24
# build that the npm registry ships as node-<os>-<arch>@24 into .toolchain/ (no other
# host is needed), so native modules can build offline against its headers.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
want=24
if command -v node >/dev/null 2>&1; then
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -ge "$want" ]; then
    dirname "$(command -v node)"
    exit 0
  fi
fi
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*) os=win ;;
  *) echo "ensure-node: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "ensure-node: unsupported CPU $(uname -m)" >&2; exit 2 ;;
esac
dest="$root/.toolchain/node"
if [ ! -x "$dest/bin/node" ] && [ ! -x "$dest/bin/node.exe" ]; then
  command -v npm >/dev/null 2>&1 || { echo "ensure-node: npm is needed once to fetch Node $want" >&2; exit 2; }
  tmp="$root/.toolchain/download"
  rm -rf "$tmp" && mkdir -p "$tmp"
  (cd "$tmp" && npm pack --silent "node-$os-$arch@$want" >/dev/null) >&2
  tar -xzf "$tmp"/node-*.tgz -C "$tmp"
  rm -rf "$dest" && mv "$tmp/package" "$dest" && rm -rf "$tmp"
  echo "ensure-node: installed Node $("$dest/bin/node" --version) in .toolchain/node" >&2
fi
echo "$dest/bin"
