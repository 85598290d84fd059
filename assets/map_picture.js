/* The still picture of the route map (dashboard/components/map_picture.py: its ground, the
   shaded relief and its lines, in one frame) stays under the interactive map until MapLibre
   has drawn every layer ("idle") and the GPU has done the drawing; then .map-ready hides the
   picture and shows the map's canvas. The frame is centred on the map's own area (the legend
   below it takes part of the graph), so the map appears where the picture was. If the map
   never gets there (no WebGL, a layer that fails), it is shown anyway after MAX_WAIT_MS, so
   it is never kept hidden for good. */
(function () {
  var MAX_WAIT_MS = 15000;
  function ready(stack) { stack.classList.add('map-ready'); }
  function centre(stack, gd) {
    var picture = stack.querySelector('.map-picture');  // the frame of its layers
    var size = gd._fullLayout && gd._fullLayout._size;
    if (!picture || !size) { return; }
    picture.style.left = Math.round(size.l + size.w / 2 - picture.offsetWidth / 2) + 'px';
    picture.style.top = Math.round(size.t + size.h / 2 - picture.offsetHeight / 2) + 'px';
  }
  // Without a GPU, Chromium composites in software and reads a shown WebGL canvas back on
  // the page's main thread, waiting there for every draw still queued (a software
  // renderer's first frame is slow): the canvas stays hidden until a fence says the GPU
  // process has done them, so the read-back only copies pixels. With a GPU: a frame.
  function afterTheGpu(map, then) {
    var gl = map.getCanvas().getContext('webgl2');  // MapLibre's own context, if WebGL 2
    var fence = gl && !gl.isContextLost() && gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!fence) { then(); return; }
    gl.flush();
    (function poll() {
      if (gl.isContextLost() || gl.getSyncParameter(fence, gl.SYNC_STATUS) === gl.SIGNALED) {
        if (!gl.isContextLost()) { gl.deleteSync(fence); }
        then();
      } else {
        setTimeout(poll, 20);
      }
    })();
  }
  function watch() {
    document.querySelectorAll('.map-stack:not(.map-ready):not([data-watched])').forEach(function (stack) {
      var gd = stack.querySelector('.js-plotly-plot');
      var subplot = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      var map = subplot && subplot.map;
      if (!map) { return; }
      stack.setAttribute('data-watched', '1');
      centre(stack, gd);
      // 'idle' can come before plotly.js has added the basemap layers: wait for an 'idle'
      // at which every layer of the figure is in the map with its source loaded
      function drawn() {
        var wanted = (gd._fullLayout.map.layers || []).length;
        var layers = subplot.layerList || [];
        return layers.length >= wanted && layers.every(function (layer) {
          return !map.getSource(layer.idSource) || map.isSourceLoaded(layer.idSource);
        }) && layers.every(function (layer) { return map.getSource(layer.idSource); });
      }
      function check() {
        if (drawn()) { map.off('idle', check); afterTheGpu(map, function () { ready(stack); }); }
      }
      map.on('idle', check);
      map.once('error', function () { map.off('idle', check); ready(stack); });
      // a fan who starts moving the map sees the map they move, drawn or not
      ['pointerdown', 'wheel', 'keydown'].forEach(function (kind) {
        stack.addEventListener(kind, function () { ready(stack); }, {once: true, passive: true});
      });
      setTimeout(function () { map.off('idle', check); ready(stack); }, MAX_WAIT_MS);
      if (map.loaded()) { check(); }
    });
  }
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
  setInterval(watch, 250);  /* plotly builds the map after its node is added */
})();
