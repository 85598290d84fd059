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
  new MutationObserver(function () { nameSliderThumbs(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
