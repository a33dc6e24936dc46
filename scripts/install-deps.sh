#!/usr/bin/env bash
# Installs what AFlix needs beyond the Swift toolchain: OpenBLAS, LAPACKE, pkg-config, unzip for
# `aflix datasets fetch`, and SQLite's headers for the example server (GRDB links the system
# SQLite) — Debian packages. Does nothing when they are already there.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev pkg-config unzip libsqlite3-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${missing[*]} …" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
