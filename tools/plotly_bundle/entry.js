// Partial plotly.js: only the trace types the dashboard draws (see tools/build_plotly_bundle.sh).
// Same pattern as plotly.js's own lib/index-*.js partial bundles.
'use strict';

var Plotly = require('plotly.js/lib/core'); // includes the scatter trace, components and locale en

Plotly.register([
    require('plotly.js/lib/scatter'),
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scattermap'), // MapLibre GL (layout.map subplot)
]);

module.exports = Plotly;
