/* Accessibility patches for third-party components, applied as they appear.
   Dash 4's slider thumb (role="slider") has no accessible name: give it the name of the
   group it sits in (e.g. "Step through the rankings"). */
(function () {
  function nameSliderThumbs(root) {
    var thumbs = (root.querySelectorAll ? root : document).querySelectorAll('.dash-slider-thumb:not([aria-label])');
    thumbs.forEach(function (thumb) {
      var group = thumb.closest('[aria-label]');
      if (group) { thumb.setAttribute('aria-label', group.getAttribute('aria-label')); }
    });
  }
  /* dcc.Upload's hidden file input: name it after the visible drop-zone text. */
  function nameUploadInputs() {
    document.querySelectorAll('.upload input[type=file]:not([aria-label])').forEach(function (input) {
      var zone = input.closest('.upload');
      if (zone) { input.setAttribute('aria-label', zone.textContent.trim()); }
    });
  }
  new MutationObserver(function () { nameSliderThumbs(document); nameUploadInputs(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
