#!/usr/bin/env bash
# Renders `aflix report` in headless Chromium (Debian's `chromium`, installed when missing) and
# saves a screenshot, to look at what a reader sees:
#   scripts/report-screenshot.sh [DATASET] [OUT.png]     (default: the MovieLens 100k folder)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-${AFLIX_DATA:-../shared/data}/ml-100k}
png=${2:-report.png}
if ! command -v chromium >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
scripts/install-deps.sh
swift build -c release --product aflix >&2
html=$(mktemp --suffix=.html)
"$(swift build -c release --show-bin-path)/aflix" report "$data" --out "$html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1500 \
  --screenshot="$png" "file://$html" 2>/dev/null
rm -f "$html"
echo "screenshot: $png"
