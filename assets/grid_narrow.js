/* Narrow screens (phones): the standings grid keeps the columns that matter most (position,
   number, crew, points, gap) so it fits the screen without sideways scrolling and the crew's
   names have room for two lines (the crew card shows the car and the places gained). */
(function () {
  var NARROW = 600;
  var OPTIONAL = ['change_text', 'car', 'car_year', 'ahead'];
  function apply() {
    if (!window.dash_ag_grid || !window.dash_ag_grid.getApi) { return; }
    var api;
    try { api = window.dash_ag_grid.getApi('standings-grid'); } catch (e) { return; }
    if (!api || api.isDestroyed && api.isDestroyed()) { return; }
    var narrow = window.innerWidth < NARROW;
    if (api.__narrow === narrow) { return; }
    api.__narrow = narrow;
    api.setColumnsVisible(OPTIONAL, !narrow);
    api.sizeColumnsToFit();
  }
  window.addEventListener('resize', apply);
  new MutationObserver(function () { apply(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
