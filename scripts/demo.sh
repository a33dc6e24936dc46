#!/usr/bin/env bash
# The README's first command: installs OpenBLAS/LAPACKE when missing, then runs the main job
# (`aflix demo`: the engine on the default synthetic world) in a release build. Extra arguments go
# to aflix instead (e.g. `scripts/demo.sh info`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product aflix >&2
exec "$(swift build -c release --show-bin-path)/aflix" "${@:-demo}"
