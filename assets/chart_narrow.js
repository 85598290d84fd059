/* Narrow screens (phones): the standings charts' end labels shrink to the car number ("#46")
   and the stage titles to the stage's number, with a smaller right margin, so nothing is cut
   at the screen's edge or runs together; the hover still names the crew in full. */
(function () {
  var NARROW = 600, RIGHT_MARGIN = 48, CHARTS = ['bump-chart', 'gap-chart'];
  var narrowed = new WeakSet();  // the figures' layouts whose right margin is set
  function short(annotation) {
    var words = String(annotation.text || '').split(' ');
    if (annotation.name === 'crew') { return words[0]; }
    if (annotation.name === 'stage') { return words[words.length - 1]; }
    return null;
  }
  // the right margin the last checkpoint's slanted name needs, as drawn (with plotly's
  // 12 px of air): a narrower one and plotly pushes it back out, drawing the chart again.
  // Measured with the figure's wider margin; a narrower one widens the plot and moves the
  // name left, so it needs no more than this.
  function lastLabelReach(gd) {
    var labels = gd.querySelectorAll('.xtick text');
    var size = gd._fullLayout && gd._fullLayout._size;
    if (!labels.length || !size) { return null; }  // not drawn yet
    var plotRight = gd.getBoundingClientRect().left + size.l + size.w;
    return Math.ceil(labels[labels.length - 1].getBoundingClientRect().right - plotRight + 12);
  }
  function shorten(gd) {
    if (!window.Plotly || !gd.layout || window.innerWidth >= NARROW) { return; }
    var update = {};
    (gd.layout.annotations || []).forEach(function (annotation, i) {
      var text = short(annotation);
      if (text !== null && text !== annotation.text) { update['annotations[' + i + '].text'] = text; }
    });
    var reach = narrowed.has(gd.layout) ? null : lastLabelReach(gd);
    if (reach !== null && gd.layout.margin) {
      narrowed.add(gd.layout);  // once per figure: a narrower margin moves the name again
      var right = Math.max(RIGHT_MARGIN, reach);
      if (gd.layout.margin.r > right) { update['margin.r'] = right; }
    }
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
