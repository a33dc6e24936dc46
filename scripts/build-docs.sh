#!/usr/bin/env bash
# Builds the DocC documentation as ONE archive: the DocsSource/AFlix.docc articles plus the public
# symbol graphs of every library module (AFlixLinalg … AFlix, with their extension graphs), in a
# single `docc convert`, so an article's ``AFlixLinalg/Matrix``-style link resolves across modules
# and renaming an API breaks this build. Output: .build/docs/AFlix.doccarchive (its path is
# printed). Arguments are passed to `docc convert`: --warnings-as-errors fails on any warning
# (a broken symbol link, an uncurated article, a bad doc comment), as CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
graphs=.build/symbol-graphs
out=.build/docs
rm -rf "$graphs" "$out" && mkdir -p "$graphs" "$out"
swift build --build-tests >/dev/null  # dump-symbol-graph needs every module built
swift package dump-symbol-graph --minimum-access-level public >/dev/null
source=$(swift build --show-bin-path)/../symbolgraph
for module in AFlixLinalg AFlixData AFlixSynth AFlixCluster AFlixRecommend AFlixOptimize AFlix; do
  cp "$source/$module".symbols.json "$graphs"/
  cp "$source/$module"@*.symbols.json "$graphs"/ 2>/dev/null || true
done
docc=$(command -v docc || echo "$(dirname "$(readlink -f "$(command -v swift)")")/docc")
"$docc" convert DocsSource/AFlix.docc --additional-symbol-graph-dir "$graphs" \
  --fallback-display-name AFlix --fallback-bundle-identifier org.aflix.AFlix \
  --output-path "$out/AFlix.doccarchive" "$@"
echo "documentation: $out/AFlix.doccarchive"
