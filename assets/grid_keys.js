/* The standings grid from the keyboard: one tab stop (Tab leaves the grid; the arrow keys move
   inside it, see tabToNextCell in dashboard/components/standings.py), and Enter or Space on a
   row selects its crew, as a click on the row does (the grid's cellClicked feeds the view). */
(function () {
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter' && event.key !== ' ') { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var cell = event.target.closest && event.target.closest('#standings-grid .ag-cell');
    if (!cell) { return; }
    event.preventDefault();  // Space would scroll the page
    cell.click();
  });
})();
