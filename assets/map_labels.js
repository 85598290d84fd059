/* Town names at the map's edge turn inwards. MapLibre places a name beside its dot even where
   the name runs past the edge of the map (it leaves room for panning), so a name such as
   "Roma" at the right edge of a phone's map was cut. After each move this moves every name
   that would run past an edge to its rank's edge layer (dashboard/figures/route_map.py,
   _label_layers: the layers' filters name the moved names) and anchors it on one side where
   it fits (hidden, if another name is there, rather than cut); the others keep MapLibre's
   own choice of side. */
(function () {
  var SOURCE = 'place-labels';  // PLACE_LABELS in route_map.py
  var EDGE = '-edge';  // EDGE there
  var MARGIN_PX = 3;  // the names' halo
  var LINE_EM = 1.2;  // MapLibre's text-line-height
  // the anchors an edge name may take, in order: beside its dot, then above or below it
  var ANCHORS = ['left', 'right', 'bottom-right', 'top-right', 'bottom-left', 'top-left',
                 'bottom', 'top'];
  var USUAL = ['left', 'right', 'top', 'bottom'];  // the other layers' text-variable-anchor
  var measure = document.createElement('canvas').getContext('2d');

  function sizeAt(expression, zoom) {
    // ["interpolate", ["linear"], ["zoom"], z0, s0, z1, s1], as _label_layers writes it
    if (typeof expression === 'number') { return expression; }
    var z0 = expression[3], s0 = expression[4], z1 = expression[5], s1 = expression[6];
    var t = Math.min(Math.max((zoom - z0) / (z1 - z0), 0), 1);
    return s0 + (s1 - s0) * t;
  }

  function textBox(name, size, maxEm, font) {
    // the name's lines as MapLibre breaks them (at spaces, within text-max-width ems)
    measure.font = size + 'px "' + font + '", sans-serif';
    var limit = maxEm * size, lines = [], line = '';
    name.split(' ').forEach(function (word) {
      var next = line ? line + ' ' + word : word;
      if (line && measure.measureText(next).width > limit) { lines.push(line); line = word; }
      else { line = next; }
    });
    lines.push(line);
    var width = Math.max.apply(null, lines.map(function (l) { return measure.measureText(l).width; }));
    return {w: width, h: lines.length * LINE_EM * size};
  }

  function fits(anchor, dot, box, offset, frame) {
    var diagonal = anchor.indexOf('-') > 0;
    var off = diagonal ? offset / Math.SQRT2 : offset;
    var x0 = anchor.indexOf('left') >= 0 ? dot.x + off
      : anchor.indexOf('right') >= 0 ? dot.x - off - box.w : dot.x - box.w / 2;
    var y0 = anchor.indexOf('top') >= 0 ? dot.y + off
      : anchor.indexOf('bottom') >= 0 ? dot.y - off - box.h : dot.y - box.h / 2;
    return x0 >= MARGIN_PX && y0 >= MARGIN_PX && x0 + box.w <= frame.w - MARGIN_PX &&
      y0 + box.h <= frame.h - MARGIN_PX;
  }

  function outside(dot, frame) {
    // a name whose dot is off the map goes wholly off it too, not half into its edge
    if (dot.x < 0) { return 'right'; }
    if (dot.x > frame.w) { return 'left'; }
    if (dot.y < 0) { return 'bottom'; }
    if (dot.y > frame.h) { return 'top'; }
    return null;
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function apply(map) {
    var style = map.getStyle();
    var source = style && style.sources && style.sources[SOURCE];
    if (!source || !source.data || !source.data.features) { return; }
    var canvas = map.getCanvas();
    var frame = {w: canvas.clientWidth, h: canvas.clientHeight};
    var zoom = map.getZoom();
    var moved = {};  // rank -> {anchor: [names]}
    source.data.features.forEach(function (feature) {
      var rank = feature.properties.rank, name = String(feature.properties.name);
      var layer = map.getLayer(SOURCE + '-' + rank);
      if (!layer) { return; }
      var layout = function (key) { return map.getLayoutProperty(layer.id, key); };
      var size = sizeAt(layout('text-size'), zoom);
      var dot = map.project(feature.geometry.coordinates);
      var anchor = outside(dot, frame);
      if (anchor === null) {
        var font = (layout('text-font') || ['sans-serif'])[0];
        var box = textBox(name, size, layout('text-max-width') || 10, font);
        var offset = (layout('text-radial-offset') || 0) * size;
        var fit = function (a) { return fits(a, dot, box, offset, frame); };
        // MapLibre may take any side of its list (another name on the first): keep its list
        // only where every side fits
        if (USUAL.every(fit)) { return; }
        anchor = ANCHORS.filter(fit)[0];
        if (!anchor) { return; }
      }
      moved[rank] = moved[rank] || {};
      (moved[rank][anchor] = moved[rank][anchor] || []).push(name);
    });
    map.getStyle().layers.forEach(function (layer) {
      if (layer.source !== SOURCE || layer.id.slice(-EDGE.length) === EDGE) { return; }
      var rank = Number(layer.id.slice(SOURCE.length + 1));
      var byAnchor = moved[rank] || {};
      var names = [].concat.apply([], Object.keys(byAnchor).map(function (a) { return byAnchor[a]; }));
      var inList = ['in', ['get', 'name'], ['literal', names]];
      var ofRank = ['==', ['get', 'rank'], rank];
      var anchor = 'left';
      if (names.length) {
        anchor = ['match', ['get', 'name']];
        Object.keys(byAnchor).forEach(function (a) { anchor.push(byAnchor[a], a); });
        anchor.push('left');
      }
      var edge = layer.id + EDGE;
      if (!map.getLayer(edge)) { return; }
      var wanted = [[layer.id, ['all', ofRank, ['!', inList]]], [edge, ['all', ofRank, inList]]];
      wanted.forEach(function (pair) {
        if (!same(map.getFilter(pair[0]), pair[1])) { map.setFilter(pair[0], pair[1]); }
      });
      if (!same(map.getLayoutProperty(edge, 'text-anchor'), anchor)) {
        map.setLayoutProperty(edge, 'text-anchor', anchor);
      }
    });
  }

  function watch() {
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      var subplot = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      var map = subplot && subplot.map;
      if (!map || map.__migliaLabels) { return; }
      map.__migliaLabels = true;
      var pending = null;
      function later() {
        if (pending) { return; }
        pending = requestAnimationFrame(function () {
          pending = null;
          if (map.isStyleLoaded()) { apply(map); }
        });
      }
      ['moveend', 'resize', 'idle'].forEach(function (kind) { map.on(kind, later); });
      later();
    });
  }
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
})();
