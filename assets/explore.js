// The fans' page's browser-side callbacks (dashboard/pages/explore.py names them).
window.dash_clientside = window.dash_clientside || {};
var MIGLIA_VERSION_PATH = '_miglia/data-version';  // DATA_VERSION_PATH in explore.py
window.dash_clientside.explore = {
    // The poll: a small GET of the data version; a callback runs only when it changed.
    poll: async function (tick, shown) {
        var config = document.getElementById('_dash-config');
        var prefix = config ? JSON.parse(config.textContent).requests_pathname_prefix : '/';
        try {
            var response = await fetch(prefix + MIGLIA_VERSION_PATH, {cache: 'no-store'});
            var version = response.ok ? (await response.text()).trim() : '';
            return version && version !== shown ? version : window.dash_clientside.no_update;
        } catch (error) {
            return window.dash_clientside.no_update;  // server away: try again next tick
        }
    },

    // The address mirrors the view (replaceState: no reload, no extra history entry);
    // the same parameters as View.search in dashboard/view_state.py.
    mirrorAddress: function (view) {
        if (!view) { return window.dash_clientside.no_update; }
        var params = new URLSearchParams();
        if (view.stage && view.stage !== 'all') { params.set('stage', view.stage); }
        if (view.checkpoint && view.checkpoint !== view.latest) { params.set('checkpoint', view.checkpoint); }
        if (view.crew) { params.set('crew', view.crew); }
        if (view.town) { params.set('town', view.town); }
        if (view.lang && view.lang !== 'en') { params.set('lang', view.lang); }
        var search = params.toString() ? '?' + params.toString() : '';
        if (window.location.search !== search) {
            window.history.replaceState(window.history.state, '', window.location.pathname + search);
        }
        return window.dash_clientside.no_update;
    },

    // Hovering the altitude profile marks the same point on the map (the ground line's
    // samples carry their lat/lon), and leaving it clears the mark; drawn in the browser.
    markOnMap: function (hover, markIndex) {
        var map = document.querySelector('#route-map .js-plotly-plot');
        if (!map || !window.Plotly || !map.data || !map.data[markIndex]) {
            return window.dash_clientside.no_update;
        }
        var point = hover && hover.points && hover.points[0];
        var where = point && Array.isArray(point.customdata) && point.customdata.length === 2 &&
            typeof point.customdata[0] === 'number' ? point.customdata : null;
        window.Plotly.restyle(map, {lat: [where ? [where[0]] : []], lon: [where ? [where[1]] : []]}, [markIndex]);
        return window.dash_clientside.no_update;
    },

    // Hovering a place on the map marks it on the profile (both carry [route id, order]).
    markOnProfile: function (hover) {
        var profile = document.querySelector('#altitude-profile .js-plotly-plot');
        if (!profile || !window.Plotly || !profile.data) {
            return window.dash_clientside.no_update;
        }
        var places = profile.data.findIndex(function (t) { return t.meta && t.meta.places; });
        var mark = profile.data.findIndex(function (t) { return t.meta && t.meta.profile_mark; });
        if (places < 0 || mark < 0) { return window.dash_clientside.no_update; }
        var point = hover && hover.points && hover.points[0];
        var key = point && Array.isArray(point.customdata) ? point.customdata : null;
        var trace = profile.data[places], xs = [], ys = [];
        if (key && typeof key[0] === 'string') {
            (trace.customdata || []).forEach(function (k, i) {
                if (k && k[0] === key[0] && k[1] === key[1]) { xs.push(trace.x[i]); ys.push(trace.y[i]); }
            });
        }
        window.Plotly.restyle(profile, {x: [xs], y: [ys]}, [mark]);
        return window.dash_clientside.no_update;
    },

    // The table's rows: fetched from their version-named address (immutable: the browser's
    // cache answers a ranking seen before) only when the ranking, version or language
    // changed; the loading and any failure said in words (the store carries them).
    showRows: async function (rows) {
        var noUpdate = window.dash_clientside.no_update;
        if (!rows || !rows.url) { return [[], '']; }
        var grid = document.getElementById('standings-grid');
        if (grid) { grid.setAttribute('data-rows-wanted', rows.url); }
        window.dash_clientside.set_props('standings-rows-status', {children: rows.loading});
        var answer;
        try {
            answer = await fetch(rows.url);
        } catch (error) {
            return [[], rows.no_answer];
        }
        // a later ranking asked for meanwhile: its own answer fills the table
        if (grid && grid.getAttribute('data-rows-wanted') !== rows.url) { return [noUpdate, noUpdate]; }
        if (!answer.ok) { return [[], rows.failed.replace('{status}', String(answer.status))]; }
        try {
            return [await answer.json(), ''];
        } catch (error) {
            return [[], rows.no_answer];
        }
    },

    // The selected crew's row marked in the browser: the grid's context names the crew
    // (rowClassRules in components/standings.py), and only the two rows concerned redraw.
    markCrew: function (view) {
        var noUpdate = window.dash_clientside.no_update;
        var api;
        try { api = window.dash_ag_grid.getApi('standings-grid'); } catch (error) { return noUpdate; }
        var context = api && api.getGridOption('context');
        var crew = view && view.crew ? view.crew : null;
        if (!context || context.crew === crew) { return noUpdate; }
        var nodes = [context.crew, crew].map(function (id) {
            return id ? api.getRowNode(id) : null;
        }).filter(Boolean);
        context.crew = crew;
        if (nodes.length) { api.redrawRows({rowNodes: nodes}); }
        return noUpdate;
    },

    // A click in the table or a chart, passed on to change_view only when it is one (the
    // table and charts fire theirs empty as they appear): the clicked property and its value.
    pickCrew: function (row, bump, gap) {
        var fired = window.dash_clientside.callback_context.triggered.filter(function (t) {
            return t.value;
        });
        if (!fired.length) { return window.dash_clientside.no_update; }
        var prop = fired[0].prop_id.split('.').pop();
        return {prop: prop, click: fired[0].value, at: Date.now()};
    },

    // The view changed while the standings table and charts were wanted but not drawn yet:
    // ask for them again, for this view (dashboard/pages/explore.py, draw_standings).
    standingsAgain: function (view, wanted, drawn) {
        return wanted && !drawn ? wanted + 1 : window.dash_clientside.no_update;
    },

    // Typing in the search box filters the table at once, in the browser (and the table
    // drawn after the map by what was typed before it came), through the grid's API: the
    // grid's options (its context naming the selected crew, its row rules) stay as drawn.
    // Each call waits for the grid on its own timer, so they can end out of order: each
    // sets what the box holds when it ends, never what it held when it began.
    quickFilter: function (text, drawn) {
        if (drawn) {
            window.dash_ag_grid.getApiAsync('standings-grid').then(function (api) {
                var box = document.getElementById('crew-search');
                api.setGridOption('quickFilterText', (box ? box.value : text) || '');
            });
        }
        return window.dash_clientside.no_update;
    }
};
