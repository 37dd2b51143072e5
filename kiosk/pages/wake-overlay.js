// Run by the kiosk's main process in the page (executeJavaScript) after an idle reset or on
// a blank screen: a transparent layer over the whole page takes the first tap, so that tap
// only wakes the kiosk and does not press what is under it. The layer goes at the end of
// that tap (its click), and the page hears `espace-kiosk-wake` (an attract loop can stop).
(function installWakeOverlay() {
  'use strict';
  var id = 'espace-kiosk-wake-overlay';
  if (document.getElementById(id)) return;
  var layer = document.createElement('div');
  layer.id = id;
  var s = layer.style;
  s.position = 'fixed';
  s.inset = '0';
  s.zIndex = '2147483647';
  s.background = 'transparent';
  s.touchAction = 'none';
  /** @type {number | undefined} */
  var removal;
  /** @param {Event} e */
  function swallow(e) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }
  function done() {
    clearTimeout(removal);
    layer.remove();
    window.removeEventListener('keydown', onKey, true);
    window.dispatchEvent(new CustomEvent('espace-kiosk-wake'));
  }
  /** @param {KeyboardEvent} e */
  function onKey(e) {
    swallow(e);
    done();
  }
  ['pointerdown', 'pointermove', 'mousedown', 'mouseup', 'touchstart', 'touchmove', 'touchend', 'dblclick', 'contextmenu', 'wheel'].forEach(function (type) {
    layer.addEventListener(type, swallow, { capture: true, passive: false });
  });
  // The click closes the tap; if none comes (a drag), the layer still goes shortly after.
  layer.addEventListener(
    'pointerup',
    function (e) {
      swallow(e);
      removal = setTimeout(done, 350);
    },
    true
  );
  layer.addEventListener(
    'click',
    function (e) {
      swallow(e);
      done();
    },
    true
  );
  window.addEventListener('keydown', onKey, true);
  (document.body || document.documentElement).appendChild(layer);
})();
