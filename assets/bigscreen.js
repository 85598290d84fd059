// The big screen's browser-side callbacks (dashboard/pages/bigscreen.py names them) and its
// quiet keyboard control: 1-5 jump to a panel, space pauses the rotation; nothing on screen.
(function () {
    var DESIGN_W = 1920, DESIGN_H = 1080;  // the figures' sizes are pixels of this screen
    // keys whose numbers are pixels, wherever they sit in a figure
    var PIXELS = {
        size: 1, width: 1, arrowwidth: 1, standoff: 1, xshift: 1, yshift: 1,
        ticklen: 1, tickwidth: 1, borderpad: 1, borderwidth: 1, l: 1, r: 1, t: 1, b: 1, pad: 1
    };

    // the screen's size against 1920x1080, inside the safe area (?safe=5: 5 % each side)
    function screenScale() {
        var root = document.querySelector('.bigscreen');
        var safe = root ? parseFloat(getComputedStyle(root).getPropertyValue('--bs-safe')) || 0 : 0;
        return Math.min(window.innerWidth / DESIGN_W, window.innerHeight / DESIGN_H)
            * (1 - safe / 50);
    }

    function scaled(value, k, key, parent) {
        if (Array.isArray(value)) {
            return value.map(function (v) { return scaled(v, k, key, parent); });
        }
        if (value && typeof value === 'object') {
            var out = {};
            Object.keys(value).forEach(function (name) {
                out[name] = scaled(value[name], k, name, value);
            });
            return out;
        }
        if (typeof value !== 'number') { return value; }
        // an annotation's leader line: ax is pixels only where axref says so
        if ((key === 'ax' && parent.axref === 'pixel') || (key === 'ay' && parent.ayref === 'pixel')) {
            return value * k;
        }
        return PIXELS[key] ? value * k : value;
    }

    function scaleFigure(figure, k) {
        if (!figure || !figure.data) { return window.dash_clientside.no_update; }
        return {data: scaled(figure.data, k), layout: scaled(figure.layout || {}, k)};
    }

    function rotation() {
        return Array.prototype.map.call(
            document.querySelectorAll('#bs-panels > .bs-panel:not(.bs-unused)'),
            function (p) { return p.dataset.panel; });
    }

    function shownOf(className) {
        return (className.match(/show-([a-z0-9]+)/) || [null, null])[1];
    }

    // the incoming panel fades in over the outgoing one, which stays fully drawn beneath it
    // until covered: no frame shows neither
    function showing(next, className) {
        var current = shownOf(className || '');
        if (next === current) { return className; }
        return 'bs-panels show-' + next + (current ? ' prev-' + current : '');
    }

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.bigscreen = {
        // every figure at the screen's size: type, lines, markers and margins
        scale: function (figures) {
            var k = screenScale();
            figures = figures || {};
            return ['map', 'bump', 'profile'].map(function (name) {
                return scaleFigure(figures[name], k);
            });
        },
        // the next panel of the rotation: no server round trip, no stacked timers
        rotate: function (n, className) {
            var names = rotation();
            if (!names.length) { return window.dash_clientside.no_update; }
            var at = names.indexOf(shownOf(className || ''));
            return showing(names[(at + 1) % names.length], className);
        }
    };

    function onKey(event) {
        var panels = document.getElementById('bs-panels');
        if (!panels || event.ctrlKey || event.altKey || event.metaKey) { return; }
        var set = window.dash_clientside.set_props;
        if (event.key >= '1' && event.key <= '5') {
            var name = rotation()[parseInt(event.key, 10) - 1];
            if (name) { set('bs-panels', {className: showing(name, panels.className)}); }
        } else if (event.key === ' ') {
            event.preventDefault();
            var root = document.querySelector('.bigscreen');
            var paused = root.dataset.paused !== 'true';
            root.dataset.paused = String(paused);
            set('bs-rotate', {disabled: paused});
        }
    }

    var resizing = null;
    function onResize() {
        if (!document.getElementById('bs-panels')) { return; }
        clearTimeout(resizing);
        resizing = setTimeout(function () {
            window.dash_clientside.set_props('bs-scale', {data: screenScale()});
        }, 200);
    }

    document.addEventListener('keydown', onKey);
    window.addEventListener('resize', onResize);
})();
