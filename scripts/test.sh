#!/usr/bin/env bash
# The README's second command: installs OpenBLAS/LAPACKE when missing, then runs every test.
# Tests that need MovieLens 100k find it through AFLIX_DATA (the folder holding ml-100k/), else
# at ../shared/data; without it they are reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# One OpenBLAS thread in the test process unless told otherwise: bit-for-bit checks then cannot
# race with models that switch BLAS threads for a fit. Agreement across thread counts is tested
# in child processes that set their own (`aflix --threads N`).
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
exec swift test "$@"
