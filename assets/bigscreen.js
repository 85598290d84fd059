// The big screen's browser-side callbacks (dashboard/pages/bigscreen.py names them).
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.bigscreen = {
    // The next panel of the rotation: no server round trip, no stacked timers.
    rotate: function (n, className) {
        var panels = document.querySelectorAll('#bs-panels > .bs-panel:not(.bs-unused)').length || 1;
        var current = parseInt((className.match(/show-(\d+)/) || [0, 0])[1], 10);
        return 'bs-panels show-' + ((current + 1) % panels);
    }
};
