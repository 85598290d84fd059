// The page's title, language and mode once Dash Pages has drawn it, and the remembered
// language; the boot screen goes (dashboard/app.py, dashboard/components/shell.py).
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.page = {
    show: function (page) {
        if (page) {
            document.title = page.title;
            document.documentElement.lang = page.lang;
            document.body.classList.toggle('bigscreen-mode', !!page.bigscreen);
            // the chosen language is remembered in this browser
            var params = new URLSearchParams(window.location.search);
            try {
                if (params.has('lang')) {
                    window.localStorage.setItem('miglia-lang', params.get('lang'));
                } else if (!page.bigscreen) {
                    var stored = window.localStorage.getItem('miglia-lang');
                    if (stored && stored !== page.lang) {
                        params.set('lang', stored);
                        window.location.replace(window.location.pathname + '?' + params.toString());
                    }
                }
            } catch (e) { /* storage disabled: the address alone decides */ }
        }
        var boot = document.getElementById('boot-message');
        if (boot) { boot.remove(); }
        return window.dash_clientside.no_update;
    }
};

// Dash records every input change for its undo button (hidden here) and never forgets one, so
// a page left open (the big screen, a fan's tab) grew by each poll's tick for as long as it
// stayed open. Keep the last few: all Dash reads back is the last (its REVERT after an error).
(function () {
    var KEEP = 10;
    function bounded(store) {
        store.subscribe(function () {
            var past = store.getState().history.past;
            if (past.length > KEEP) { past.splice(0, past.length - KEEP); }
        });
    }
    window.addEventListener('load', function () {
        (window.dash_stores || []).forEach(bounded);
    });
})();
