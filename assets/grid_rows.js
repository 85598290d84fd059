/* The standings grid's rows grow to show a crew's names in full (wrapped, each person on a
   line of their own): the height is worked out from the names' width in the cell's font,
   and worked out again whenever the columns change width (a phone, a turned screen). */
(function () {
  var funcs = window.dashAgGridFunctions = window.dashAgGridFunctions || {};
  var LINE_PX = 17;  // the wrapped lines' height (line-height in assets/style.css)
  var MIN_PX = 42;  // one line: the grid's own row height
  var canvas = document.createElement('canvas');

  function cellMetrics() {
    var cell = document.querySelector('#standings-grid .ag-center-cols-container [col-id="crew"]');
    if (!cell) { return {font: '14px sans-serif', padding: 34, vertical: 26}; }
    var style = getComputedStyle(cell);
    return {
      font: style.font,
      padding: parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 2,
      // and the cell's and the row's borders
      vertical: parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + 4
    };
  }

  function linesOf(text, width, context) {
    var lines = 0;
    String(text || '').split(' / ').forEach(function (person) {
      var words = person.split(' ');
      var line = '';
      lines += 1;
      words.forEach(function (word) {
        var next = line ? line + ' ' + word : word;
        if (line && context.measureText(next).width > width) { lines += 1; line = word; }
        else { line = next; }
      });
    });
    return Math.max(lines, 1);
  }

  // read once per task: the grid asks for every row's height at once, and a computed style
  // read between its DOM changes recalculates the page's styles each time
  var metrics = null;
  function currentMetrics() {
    if (!metrics) {
      metrics = cellMetrics();
      canvas.getContext('2d').font = metrics.font;
      setTimeout(function () { metrics = null; }, 0);
    }
    return metrics;
  }

  funcs.crewRowHeight = function (params) {
    var column = params.api.getColumn('crew');
    if (!column || !params.data) { return MIN_PX; }
    var metrics = currentMetrics();
    var context = canvas.getContext('2d');
    var lines = linesOf(params.data.crew, column.getActualWidth() - metrics.padding, context);
    return Math.max(MIN_PX, lines * LINE_PX + metrics.vertical);
  };

  function watch() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) { return; }
    var api;
    try { api = window.dash_ag_grid.getApi('standings-grid'); } catch (e) { return; }
    if (!api || api.__rowsWatched || (api.isDestroyed && api.isDestroyed())) { return; }
    api.__rowsWatched = true;
    var pending = null;
    function again() {
      if (pending) { return; }
      pending = requestAnimationFrame(function () { pending = null; api.resetRowHeights(); });
    }
    ['columnResized', 'columnVisible', 'firstDataRendered', 'rowDataUpdated'].forEach(function (name) {
      api.addEventListener(name, again);
    });
    again();
  }
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
})();
