/* Narrow screens (phones): the standings grid keeps the columns that matter most (position,
   number, crew, points, gap) so it fits the screen without sideways scrolling and the crew's
   names have room for two lines (the crew card shows the car and the places gained).
   Fitted to its box, on a phone or a laptop, a column may be narrower than its header's words
   ("P.." for "Pos." with its sort arrow, "Dista…"): each column is given at least its
   header's width, as measured in the page (either language, with the arrow where the grid
   is sorted), and the crew column takes what is left. */
(function () {
  var NARROW = 600;
  var OPTIONAL = ['change_text', 'car', 'car_year', 'ahead'];
  var CREW_MIN_PX = 100;  // the crew column's own minWidth (dashboard/components/standings.py)

  function gridApi() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) { return null; }
    var api;
    try { api = window.dash_ag_grid.getApi('standings-grid'); } catch (e) { return null; }
    return api && !(api.isDestroyed && api.isDestroyed()) ? api : null;
  }

  function headerLimits() {
    // the width each header needs: its words in full, plus what it holds beside them
    // (paddings, the sort arrow, the filter icon), as drawn now
    var limits = [];
    document.querySelectorAll('#standings-grid .ag-header-cell[col-id]').forEach(function (cell) {
      var label = cell.querySelector('.ag-header-cell-label');
      var text = label && label.querySelector('.ag-header-cell-text');
      if (!text || !cell.offsetParent) { return; }
      var key = cell.getAttribute('col-id');
      // all but the label's free room: what is around the label, the words, the icons in it
      var need = cell.clientWidth - label.getBoundingClientRect().width + text.scrollWidth;
      Array.prototype.forEach.call(label.children, function (child) {
        if (child !== text) { need += child.getBoundingClientRect().width; }
      });
      need = Math.ceil(need) + 1;
      limits.push({key: key, minWidth: key === 'crew' ? Math.max(need, CREW_MIN_PX) : need});
    });
    return limits;
  }

  function fit(api) {
    api.sizeColumnsToFit({columnLimits: headerLimits()});
  }

  function later(api) {
    if (api.__fitPending) { return; }
    api.__fitPending = requestAnimationFrame(function () {
      api.__fitPending = null;
      if (!(api.isDestroyed && api.isDestroyed())) { fit(api); }
    });
  }

  function apply() {
    var api = gridApi();
    if (!api) { return; }
    if (!api.__headersWatched) {
      api.__headersWatched = true;
      // a sort arrow appears, the words change with the language, the grid is resized (the
      // grid's own fit on resize does not know the headers' widths)
      ['sortChanged', 'gridSizeChanged', 'firstDataRendered', 'displayedColumnsChanged']
        .forEach(function (name) { api.addEventListener(name, function () { later(api); }); });
    }
    var narrow = window.innerWidth < NARROW;
    // a new grid shows every column: told again only to hide some (the grid redraws its
    // columns even when told what they already are)
    var wasNarrow = api.__narrow === true;
    api.__narrow = narrow;
    if (wasNarrow === narrow) { return; }
    api.setColumnsVisible(OPTIONAL, !narrow);
    later(api);
  }
  window.addEventListener('resize', apply);
  new MutationObserver(function () { apply(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
