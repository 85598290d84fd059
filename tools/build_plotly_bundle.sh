#!/usr/bin/env bash
# Builds dashboard/vendor/plotly/plotly-miglia.min.js: a partial plotly.js holding only the
# trace types the dashboard draws (scatter, bar, scattermap), loaded by the page before Dash's
# renderer so dcc.Graph uses it (window.Plotly) instead of injecting the full plotly.min.js.
#
#     bash tools/build_plotly_bundle.sh
#
# Needs node and npm (the npm registry). The exact versions are pinned by
# tools/plotly_bundle/package-lock.json (plotly.js 4.1.1 = the plotly.js that the installed
# Python `plotly` package ships, esbuild 0.28.2); they are installed into a temporary folder,
# never into the repository. To move to another plotly.js: change tools/plotly_bundle/package.json,
# run `npm install --package-lock-only --ignore-scripts` in that folder, then this script.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$repo/tools/plotly_bundle"
out_dir="$repo/dashboard/vendor/plotly"
out="$out_dir/plotly-miglia.min.js"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$src/package.json" "$src/package-lock.json" "$src/entry.js" "$src/build.mjs" "$work/"
(
    cd "$work"
    # --ignore-scripts: no install script is needed (esbuild's binary comes in its
    # @esbuild/<platform> package); the engines warnings of plotly.js 4 (node >= 22) are only
    # about its own dev tooling
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    mkdir -p out
    node build.mjs out
)
mkdir -p "$out_dir"
cp "$work/out/plotly-miglia.min.js" "$work/out/LICENSE.md" "$out_dir/"
raw=$(wc -c <"$out")
gz=$(gzip -9 -c "$out" | wc -c)
echo "wrote $out: $raw bytes, $gz bytes gzip -9"
