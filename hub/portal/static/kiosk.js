// Espace connecté — the kiosk layout's island: clock and sync corner, attract loop when idle,
// heartbeat to the Electron shell, and no navigation away from the hub.
(function () {
  'use strict';
  var clock = document.getElementById('clock');
  var sync = document.getElementById('sync');
  var time = new Intl.DateTimeFormat('fr-ML', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Africa/Bamako' });
  var tick = function () {
    if (clock) clock.textContent = time.format(new Date());
  };
  setInterval(tick, 10000);
  tick();

  // The sync corner: the last time submissions reached Bamako, or "—" when unknown.
  var syncState = function () {
    fetch('/api/v1/sync', { cache: 'no-store' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (s) {
        if (!sync) return;
        var last = s && s.classes && s.classes.push && s.classes.push.lastSuccess;
        sync.textContent = last ? '✓ ' + time.format(new Date(last)) : '—';
      })
      .catch(function () {
        if (sync) sync.textContent = '—';
      });
  };
  syncState();
  setInterval(syncState, 30000);

  // The Electron preload's bridge, when there is one.
  setInterval(function () {
    if (window.espaceKiosk && window.espaceKiosk.heartbeat) window.espaceKiosk.heartbeat();
  }, 5000);

  // Nothing on the shared screen leads off the hub.
  document.addEventListener(
    'click',
    function (e) {
      var a = e.target instanceof Element ? e.target.closest('a[href]') : null;
      if (a instanceof HTMLAnchorElement && a.origin !== location.origin) e.preventDefault();
    },
    true
  );

  // The attract loop: shown at start and after a quiet while; any touch brings the portal back.
  // const: narrowed here, still narrowed in the handlers below.
  const attract = document.querySelector('[data-attract]');
  if (!(attract instanceof HTMLElement)) return;
  var slides = Array.prototype.slice.call(attract.querySelectorAll('.slide'));
  var idleMs = Number(attract.getAttribute('data-idle') || 45) * 1000;
  var i = 0;
  /** @type {number | null} */
  var rotate = null;
  /** @type {number | null} */
  var idle = null;
  var show = function () {
    attract.hidden = false;
    slides.forEach(function (s) {
      s.classList.remove('on');
    });
    if (slides.length) slides[i % slides.length].classList.add('on');
    rotate =
      rotate ||
      setInterval(function () {
        slides[i % slides.length].classList.remove('on');
        i += 1;
        slides[i % slides.length].classList.add('on');
      }, 8000);
  };
  var hide = function () {
    attract.hidden = true;
    if (rotate !== null) clearInterval(rotate);
    rotate = null;
  };
  var wake = function () {
    if (!attract.hidden) hide();
    if (idle !== null) clearTimeout(idle);
    idle = setTimeout(show, idleMs);
  };
  ['pointerdown', 'keydown'].forEach(function (t) {
    document.addEventListener(t, wake, true);
  });
  show();
})();
