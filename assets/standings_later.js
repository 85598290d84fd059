/* The standings section's table and charts are drawn after the map, not with it: the page
   shows the header, the map and the stage card first (drawing everything at once was one
   ~0.9 s task that blocked input). The section asks for them (dashboard/pages/explore.py,
   draw_standings) at the first of: the interactive map drawn (.map-ready, set by
   assets/map_picture.js) and the browser idle; the section near the screen (scrolled to, or
   a link to #standings); the keyboard or pointer in the section; FALLBACK_MS after it
   appeared (a map slow to get ready, or none, does not keep the standings away). */
(function () {
  var WANTED = 'standings-wanted';  // ids.STANDINGS_WANTED
  var NEAR = '400px 0px';  // asked for a little before the fan reaches it
  var IDLE_TIMEOUT_MS = 1000;
  var FALLBACK_MS = 5000;

  function idle(callback) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(callback, {timeout: IDLE_TIMEOUT_MS});
    } else {
      setTimeout(callback, 1);
    }
  }

  function watch(section) {
    section.setAttribute('data-watched', '1');
    var asked = false, cleanups = [];
    function ask() {
      if (asked || !section.isConnected) { return; }
      asked = true;
      cleanups.forEach(function (stop) { stop(); });
      if (window.dash_clientside && window.dash_clientside.set_props) {
        window.dash_clientside.set_props(WANTED, {data: 1});
      }
    }
    if ('IntersectionObserver' in window) {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) { ask(); }
      }, {rootMargin: NEAR});
      seen.observe(section);
      cleanups.push(function () { seen.disconnect(); });
    } else {
      ask();
      return;
    }
    ['focusin', 'pointerdown'].forEach(function (kind) {
      section.addEventListener(kind, ask, {once: true});
    });
    var stack = document.querySelector('.map-stack');
    if (stack) {
      var drawn = new MutationObserver(function () {
        if (stack.classList.contains('map-ready')) { drawn.disconnect(); idle(ask); }
      });
      drawn.observe(stack, {attributes: true, attributeFilter: ['class']});
      cleanups.push(function () { drawn.disconnect(); });
      if (stack.classList.contains('map-ready')) { idle(ask); }
    }
    var timer = setTimeout(function () { idle(ask); }, FALLBACK_MS);
    cleanups.push(function () { clearTimeout(timer); });
  }

  function find() {
    var section = document.querySelector('#standings[data-later]:not([data-watched])');
    if (section) { watch(section); }
  }
  new MutationObserver(find).observe(document.documentElement, {childList: true, subtree: true});
  find();
})();
