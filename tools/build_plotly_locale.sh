#!/bin/sh
# Writes assets/plotly-locale-it.js: plotly.js's Italian locale (npm plotly.js-locales, MIT,
# (c) Plotly, Inc.) as a browser script that registers with the page's window.Plotly, so the
# chart toolbar's tooltips and the axes' dates and numbers read in Italian (config locale 'it').
# The package ships CommonJS modules; node turns it.js into plain data, nothing else is kept.
# Run from the repository root: sh tools/build_plotly_locale.sh
set -eu
VERSION=3.7.0
OUT=assets/plotly-locale-it.js
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "plotly.js-locales@$VERSION" >/dev/null && tar xzf plotly.js-locales-$VERSION.tgz)
node -e '
const locale = require(process.argv[1]);
const data = JSON.stringify({moduleType: locale.moduleType, name: locale.name,
  dictionary: locale.dictionary, format: locale.format});
process.stdout.write(
  "/* plotly.js Italian locale, npm plotly.js-locales " + process.argv[2] +
  " (MIT, (c) Plotly, Inc.); built by tools/build_plotly_locale.sh */\n" +
  "(function(){var locale=" + data + ";" +
  "if(window.Plotly){window.Plotly.register(locale);}" +
  "else{(window.PlotlyLocales=window.PlotlyLocales||[]).push(locale);}})();\n");
' "$TMP/package/it.js" "$VERSION" > "$OUT"
echo "wrote $OUT ($(wc -c < "$OUT") bytes)"
