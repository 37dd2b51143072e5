// Run by the kiosk's main process in the page (executeJavaScript) before an idle reset: what
// only the page can clear — media still playing, and sessionStorage, which belongs to the
// tab rather than to the session the main process clears.
(function clearPageState() {
  'use strict';
  document.querySelectorAll('audio, video').forEach(function (m) {
    if (!(m instanceof HTMLMediaElement)) return;
    m.pause();
    m.removeAttribute('src');
    m.load();
  });
  try {
    sessionStorage.clear();
  } catch (_e) {
    /* storage disabled: nothing to clear */
  }
  try {
    localStorage.clear();
  } catch (_e) {
    /* storage disabled: nothing to clear */
  }
})();
