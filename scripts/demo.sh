#!/usr/bin/env bash
# The README's first command: installs OpenBLAS/LAPACKE when missing, then runs the main job
# (`aflix info`) on the built-in sample dataset in a release build. Extra arguments go to aflix.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product aflix >&2
exec "$(swift build -c release --show-bin-path)/aflix" "${@:-info}"
