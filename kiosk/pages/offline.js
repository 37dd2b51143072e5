// The offline page: counts down, asks the kiosk whether the hub answers (hub.json, served
// beside this page), and goes back to the portal as soon as it does.
(function offlinePage() {
  'use strict';
  var retrySeconds = 5;
  var left = retrySeconds;
  var checking = false;
  var counters = document.querySelectorAll('[data-countdown]');
  // const: read in the handlers below. offline.html has it; a page without it still counts down.
  const note = document.getElementById('checking');

  /** @param {number} n */
  function show(n) {
    for (var i = 0; i < counters.length; i += 1) counters[i].textContent = String(n);
  }

  function check() {
    if (checking) return;
    checking = true;
    if (note) note.hidden = false;
    fetch('hub.json', { cache: 'no-store' })
      .then(function (res) {
        return res.json();
      })
      .then(function (hub) {
        if (typeof hub.retrySeconds === 'number' && hub.retrySeconds > 0) retrySeconds = hub.retrySeconds;
        if (hub.reachable && typeof hub.startUrl === 'string') {
          location.replace(hub.startUrl);
          return;
        }
        left = retrySeconds;
        show(left);
      })
      .catch(function () {
        left = retrySeconds;
        show(left);
      })
      .then(function () {
        checking = false;
        if (note) note.hidden = true;
      });
  }

  setInterval(function () {
    if (checking) return;
    left -= 1;
    if (left <= 0) {
      show(0);
      check();
    } else {
      show(left);
    }
  }, 1000);
  // A first check straight away: the hub may already be back.
  check();
})();
