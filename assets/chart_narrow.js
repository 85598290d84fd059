/* Narrow screens (phones): the standings charts' end labels shrink to the car number ("#46")
   and the stage titles to the stage's number, with a smaller right margin, so nothing is cut
   at the screen's edge or runs together; the hover still names the crew in full. */
(function () {
  var NARROW = 600, RIGHT_MARGIN = 48, CHARTS = ['bump-chart', 'gap-chart'];
  function short(annotation) {
    var words = String(annotation.text || '').split(' ');
    if (annotation.name === 'crew') { return words[0]; }
    if (annotation.name === 'stage') { return words[words.length - 1]; }
    return null;
  }
  function shorten(gd) {
    if (!window.Plotly || !gd.layout || window.innerWidth >= NARROW) { return; }
    var update = {};
    (gd.layout.annotations || []).forEach(function (annotation, i) {
      var text = short(annotation);
      if (text !== null && text !== annotation.text) { update['annotations[' + i + '].text'] = text; }
    });
    if (gd.layout.margin && gd.layout.margin.r > RIGHT_MARGIN) { update['margin.r'] = RIGHT_MARGIN; }
    if (Object.keys(update).length) { window.Plotly.relayout(gd, update); }  // once per figure
  }
  function watch() {
    CHARTS.forEach(function (id) {
      var gd = document.querySelector('#' + id + ' .js-plotly-plot');
      if (!gd || gd.__narrowWatched || !gd.on) { return; }
      gd.__narrowWatched = true;
      gd.on('plotly_afterplot', function () { shorten(gd); });
      shorten(gd);
    });
  }
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
})();
