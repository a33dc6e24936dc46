#!/usr/bin/env bash
# Builds the DocC documentation: one archive per library module (its symbols and doc comments),
# one for the DocsSource/AFlix.docc articles on the umbrella module, merged into one combined
# archive at .build/docs/AFlix.doccarchive. Pass --warnings-as-errors to fail on broken links.
set -euo pipefail
cd "$(dirname "$0")/.."
graphs=.build/symbol-graphs
out=.build/docs
rm -rf "$graphs" "$out" && mkdir -p "$graphs" "$out"
swift build --build-tests >/dev/null  # dump-symbol-graph needs every module built
swift package dump-symbol-graph --minimum-access-level public >/dev/null
source=$(swift build --show-bin-path)/../symbolgraph
docc=$(command -v docc || echo "$(dirname "$(readlink -f "$(command -v swift)")")/docc")
archives=()
for module in AFlixLinalg AFlixData AFlixSynth AFlixCluster AFlixRecommend AFlixOptimize AFlix; do
  dir=$graphs/$module && mkdir -p "$dir"
  cp "$source/$module".symbols.json "$dir"/
  cp "$source/$module"@*.symbols.json "$dir"/ 2>/dev/null || true
  catalog=()
  [ "$module" = AFlix ] && catalog=(DocsSource/AFlix.docc)
  "$docc" convert "${catalog[@]}" --additional-symbol-graph-dir "$dir" \
    --fallback-display-name "$module" --fallback-bundle-identifier "org.aflix.$module" \
    --output-path "$out/$module.doccarchive" "$@"
  archives+=("$out/$module.doccarchive")
done
"$docc" merge "${archives[@]}" --output-path "$out/AFlix-combined.doccarchive" \
  --synthesized-landing-page-name AFlix
echo "documentation: $out/AFlix-combined.doccarchive"
