// Espace connecté — the portal's small islands. Every page works without this file; it adds
// inline audio, instant quiz feedback, progress kept on the phone, vote status, and keeping
// courses offline (voice messages and recordings: voice-input.js). Plain ES2017, no framework, no request leaves the hub.
(function () {
  'use strict';
  /** @type {(sel: string, root?: ParentNode) => HTMLElement[]} */
  var $$ = function (sel, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(sel));
  };
  /** @type {{ get(k: string): string | null, set(k: string, v: string): void }} */
  var store = {
    get: function (k) {
      try {
        return localStorage.getItem(k);
      } catch (_e) {
        return null;
      }
    },
    set: function (k, v) {
      try {
        localStorage.setItem(k, v);
      } catch (_e) {
        /* private mode: progress is not kept */
      }
    },
  };

  // ▶ buttons: play the recording in the page instead of opening it; one sound at a time.
  /** @type {HTMLAudioElement | null} */
  var player = null;
  /** @type {Element | null} */
  var playing = null;
  document.addEventListener('click', function (e) {
    // const: narrowed here, still narrowed in the promise's handler below.
    const a = e.target instanceof Element ? e.target.closest('[data-play]') : null;
    var href = a && a.getAttribute('href');
    if (!a || !href) return;
    e.preventDefault();
    if (!player) {
      player = new Audio();
      player.addEventListener('ended', function () {
        if (playing) playing.classList.remove('playing');
        playing = null;
      });
    }
    if (playing === a && !player.paused) {
      player.pause();
      a.classList.remove('playing');
      playing = null;
      return;
    }
    if (playing) playing.classList.remove('playing');
    player.src = href;
    player.play().then(
      function () {
        a.classList.add('playing');
        playing = a;
      },
      function () {
        /* no sound device: nothing to do */
      }
    );
  });

  // Quiz: say right or wrong as soon as a choice is made. The page holds no answer: the hub
  // checks the one question and sends back what to show (only after the visitor chose).
  $$('[data-quiz]').forEach(function (form) {
    var url = form.getAttribute('data-check');
    $$('[data-question]', form).forEach(function (q) {
      var question = q.getAttribute('data-question');
      var feedback = q.querySelector('[data-feedback]');
      q.addEventListener('change', function (e) {
        // const: narrowed here, still narrowed in the answer's handler below.
        const input = e.target;
        if (!(input instanceof HTMLInputElement) || input.type !== 'radio' || !url || !question) return;
        var body = 'question=' + encodeURIComponent(question) + '&choice=' + encodeURIComponent(input.value);
        fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: body,
          cache: 'no-store',
        })
          .then(function (r) {
            return r.ok ? r.json() : null;
          })
          .then(function (res) {
            if (!res) return;
            $$('.choice', q).forEach(function (c) {
              c.classList.remove('ok', 'no');
            });
            var choice = input.closest('.choice');
            if (choice) choice.classList.add(res.ok ? 'ok' : 'no');
            if (feedback) feedback.innerHTML = res.html;
          })
          .catch(function () {
            /* off the Wi-Fi: the "check" button still works */
          });
      });
    });
  });

  // Progress kept on this phone: lessons marked done, shown on the course pages.
  $$('form.finish').forEach(function (f) {
    f.addEventListener('submit', function () {
      var lesson = f.closest('[data-lesson]');
      if (lesson) store.set('done:' + lesson.getAttribute('data-lesson'), '1');
    });
  });
  $$('[data-course][data-lessons]').forEach(function (c) {
    var ids = (c.getAttribute('data-lessons') || '').split(' ');
    var done = ids.filter(function (id) {
      return store.get('done:' + id);
    }).length;
    $$('[data-lesson]', c).forEach(function (li) {
      var tick = li.querySelector('[data-done]');
      if (tick instanceof HTMLElement && store.get('done:' + li.getAttribute('data-lesson'))) tick.hidden = false;
    });
    var prog = c.querySelector('[data-progress]');
    if (prog instanceof HTMLElement && done > 0) {
      var tpl = prog.getAttribute('data-template') || done + '/' + ids.length + ' ✓';
      prog.textContent = tpl.replace('{done}', String(done)).replace('{total}', String(ids.length));
      prog.hidden = false;
    }
  });

  // Vote status: "counted here", then "confirmed in Bamako" once the sync has carried it.
  $$('[data-status]').forEach(function (box) {
    // const: narrowed here, still narrowed in the poll below.
    const id = box.getAttribute('data-status');
    const central = box.querySelector('[data-central]');
    if (!id || !(central instanceof HTMLElement) || !central.hidden) return;
    var check = function () {
      fetch('/api/v1/submissions/' + encodeURIComponent(id) + '/status', { cache: 'no-store' })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (s) {
          if (s && s.state === 'confirmed-central') {
            central.hidden = false;
            clearInterval(timer);
          }
        })
        .catch(function () {
          /* off the Wi-Fi: try later */
        });
    };
    var timer = setInterval(check, 20000);
  });

  // Take it home: the service worker serves kept pages and files when the hub is out of reach.
  var canKeep = 'serviceWorker' in navigator && 'caches' in window && !document.body.classList.contains('kiosk');
  if (canKeep)
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {
      /* not a secure context */
    });

  // Where the phone can keep pages, the page on what keeping needs gives way to the kept list.
  if (canKeep)
    $$('[data-cannot-keep]').forEach(function (s) {
      s.hidden = true;
    });

  $$('[data-keep]').forEach(function (box) {
    if (!canKeep) return;
    // const: narrowed here, still narrowed in the handlers below.
    const btn = box.querySelector('button'),
      state = box.querySelector('.keepstate'),
      list = box.getAttribute('data-keep');
    if (!btn || !(state instanceof HTMLElement) || !list) return;
    var key = 'kept:' + list.split('/').slice(-2).join(':');
    box.hidden = false;
    caches.has(key).then(function (yes) {
      if (yes) {
        state.textContent = box.getAttribute('data-kept-label');
      }
    });
    btn.addEventListener('click', function () {
      btn.disabled = true;
      state.textContent = box.getAttribute('data-keeping-label');
      fetch(list, { cache: 'no-store' })
        .then(function (r) {
          return r.json();
        })
        .then(function (item) {
          return caches.open(item.key).then(function (cache) {
            return cache.addAll(item.urls.concat(['/hors-ligne'])).then(function () {
              var meta = { title: item.title, home: item.home, keptAt: new Date().toISOString() };
              return cache.put('/__kept__', new Response(JSON.stringify(meta), { headers: { 'Content-Type': 'application/json' } }));
            });
          });
        })
        .then(
          function () {
            state.textContent = box.getAttribute('data-kept-label');
          },
          function () {
            state.textContent = box.getAttribute('data-failed-label');
          }
        )
        .then(function () {
          btn.disabled = false;
        });
    });
  });

  // The list of kept items, the space they use, and removing them.
  $$('[data-kept]').forEach(function (box) {
    // const: narrowed here, still narrowed in the handlers below.
    const ul = box.querySelector('[data-items]'),
      usage = box.querySelector('[data-usage]');
    if (!ul || !usage) return;
    if (!('caches' in window)) {
      usage.textContent = box.getAttribute('data-unavailable');
      return;
    }
    /** @param {number} n */
    var fmt = function (n) {
      return n >= 1e6 ? (n / 1e6).toFixed(1).replace('.', ',') + ' Mo' : Math.ceil(n / 1e3) + ' Ko';
    };
    var render = function () {
      ul.innerHTML = '';
      if (navigator.storage && navigator.storage.estimate) {
        navigator.storage.estimate().then(function (est) {
          usage.textContent = (box.getAttribute('data-used') || '{used}').replace('{used}', fmt(est.usage || 0));
        });
      }
      caches.keys().then(function (keys) {
        var kept = keys.filter(function (k) {
          return k.indexOf('kept:') === 0;
        });
        if (!kept.length) {
          var p = document.createElement('li');
          p.textContent = box.getAttribute('data-none');
          ul.appendChild(p);
          return;
        }
        kept.forEach(function (k) {
          caches
            .open(k)
            .then(function (c) {
              return c.match('/__kept__');
            })
            .then(function (r) {
              return r ? r.json() : { title: k, home: '/' };
            })
            .then(function (meta) {
              var li = document.createElement('li');
              li.className = 'card';
              var a = document.createElement('a');
              a.className = 'rowlink';
              a.href = meta.home;
              a.textContent = meta.title;
              var b = document.createElement('button');
              b.type = 'button';
              b.className = 'btn secondary';
              b.textContent = box.getAttribute('data-remove');
              b.setAttribute('aria-label', box.getAttribute('data-remove') + ' : ' + meta.title);
              b.addEventListener('click', function () {
                caches.delete(k).then(render);
              });
              li.appendChild(a);
              li.appendChild(b);
              ul.appendChild(li);
            });
        });
      });
    };
    render();
  });

  // To the hub's HTTPS name, only once this phone has fetched something there itself: a phone
  // with a wrong clock or an old trust store fails the fetch and stays on plain HTTP, where
  // everything but keeping pages and the in-page recorder works. Tried once per visit.
  (function moveToHttps() {
    if (location.protocol !== 'http:' || document.body.classList.contains('kiosk') || /^\/bienvenue/.test(location.pathname)) return;
    var tried = null;
    try {
      tried = sessionStorage.getItem('secure-tried');
      sessionStorage.setItem('secure-tried', '1');
    } catch (_e) {
      /* private mode: try each page */
    }
    if (tried) return;
    fetch('/api/v1/secure-origin', { cache: 'no-store' })
      .then(function (r) {
        return r.ok ? r.json() : {};
      })
      .then(
        /** @param {{ origin?: string }} o */ function (o) {
          if (!o.origin) return;
          return fetch(o.origin + '/api/v1/secure-probe', { mode: 'cors', cache: 'no-store', credentials: 'omit' }).then(function (r) {
            if (r.status !== 204) return;
            // The language travels with the move: cookies are per name.
            var lang = document.documentElement.getAttribute('lang') || 'fr';
            location.replace(
              o.origin + '/langue/' + encodeURIComponent(lang) + '?next=' + encodeURIComponent(location.pathname + location.search + location.hash)
            );
          });
        }
      )
      .catch(function () {
        /* the certificate is not usable from this phone: stay here */
      });
  })();

  // Say so when the phone has left the space's Wi-Fi.
  window.addEventListener('offline', function () {
    if (document.querySelector('.offline-banner')) return;
    var d = document.createElement('div');
    d.className = 'offline-banner';
    d.setAttribute('role', 'status');
    d.textContent = document.body.getAttribute('data-offline-msg');
    document.body.insertBefore(d, document.body.firstChild);
  });
  window.addEventListener('online', function () {
    var d = document.querySelector('.offline-banner');
    if (d) d.remove();
  });
})();
