// Espace connecté — service worker. Pages come from the hub when it answers, and from what
// the visitor kept (Garder hors-ligne) when it does not. Static files are precached.
'use strict';
var VERSION = '__VERSION__';
var ASSETS = __ASSETS__;
var STATIC = 'static-' + VERSION;
// The worker's own scope, typed as a service worker's (its events, clients, skipWaiting).
var sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

sw.addEventListener('install', function (e) {
  e.waitUntil(
    caches
      .open(STATIC)
      .then(function (c) {
        return c.addAll(ASSETS);
      })
      .then(function () {
        return sw.skipWaiting();
      })
  );
});

sw.addEventListener('activate', function (e) {
  e.waitUntil(
    caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (k) {
              return k.indexOf('static-') === 0 && k !== STATIC;
            })
            .map(function (k) {
              return caches.delete(k);
            })
        );
      })
      .then(function () {
        return sw.clients.claim();
      })
  );
});

function offlinePage() {
  var body =
    '<!doctype html><html lang="fr"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Hors-ligne</title>' +
    '<body style="font:1.2rem system-ui;margin:2rem;color:#161616;background:#fbf7ef"><h1>Hors-ligne</h1>' +
    '<p>Cette page n\u2019est pas gardée sur ce téléphone. Revenez à l\u2019espace pour l\u2019ouvrir.</p><p><a href="/hors-ligne">Pages gardées</a></p></body></html>';
  return new Response(body, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

sw.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname.indexOf('/static/') === 0 || url.pathname.indexOf('/media/') === 0) {
    // Fingerprinted or content-addressed: a cached copy is always right.
    e.respondWith(
      caches.match(req, { ignoreVary: true }).then(function (hit) {
        return hit || fetch(req);
      })
    );
    return;
  }
  if (url.pathname.indexOf('/api/') === 0 || url.pathname.indexOf('/db/') === 0) return;
  // Pages: the hub first (fresh content, the visitor's language), the kept copy when it is out
  // of reach — at once if the network fails, after a few seconds if it only hangs (a phone on
  // another network).
  var network = fetch(req);
  var kept = function () {
    return caches.match(req, { ignoreVary: true });
  };
  e.respondWith(
    new Promise(function (resolve) {
      var done = false;
      /** @param {Response | undefined} r */
      var finish = function (r) {
        if (!done && r) {
          done = true;
          resolve(r);
        }
      };
      network.then(finish, function () {
        kept().then(function (hit) {
          finish(hit || (req.mode === 'navigate' ? offlinePage() : Response.error()));
        });
      });
      setTimeout(function () {
        kept().then(finish);
      }, 4000);
    })
  );
});
