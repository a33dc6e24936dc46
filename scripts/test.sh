#!/usr/bin/env bash
# The README's second command: installs OpenBLAS/LAPACKE when missing, then runs every test.
# Tests that need MovieLens 100k find it through AFLIX_DATA (the folder holding ml-100k/), else
# at ../shared/data; without it they are reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec swift test "$@"
