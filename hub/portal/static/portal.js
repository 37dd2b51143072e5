// Espace connecté — the portal's small islands. Every page works without this file; it adds
// inline audio, instant quiz feedback, progress kept on the phone, voice messages, vote
// status, and keeping courses offline. Plain ES2017, no framework, no request leaves the hub.
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
    var target = /** @type {Element} */ (e.target);
    var a = target.closest && target.closest('[data-play]');
    if (!a) return;
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
    player.src = a.getAttribute('href');
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
      q.addEventListener('change', function (e) {
        var input = /** @type {HTMLInputElement} */ (e.target);
        if (input.type !== 'radio' || !url) return;
        var body = 'question=' + encodeURIComponent(q.getAttribute('data-question')) + '&choice=' + encodeURIComponent(input.value);
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
            input.closest('.choice').classList.add(res.ok ? 'ok' : 'no');
            q.querySelector('[data-feedback]').innerHTML = res.html;
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
    var ids = c.getAttribute('data-lessons').split(' ');
    var done = ids.filter(function (id) {
      return store.get('done:' + id);
    }).length;
    $$('[data-lesson]', c).forEach(function (li) {
      if (store.get('done:' + li.getAttribute('data-lesson'))) /** @type {HTMLElement} */ (li.querySelector('[data-done]')).hidden = false;
    });
    var prog = /** @type {HTMLElement | null} */ (c.querySelector('[data-progress]'));
    if (prog && done > 0) {
      var tpl = prog.getAttribute('data-template') || done + '/' + ids.length + ' ✓';
      prog.textContent = tpl.replace('{done}', String(done)).replace('{total}', String(ids.length));
      prog.hidden = false;
    }
  });

  // Vote status: "counted here", then "confirmed in Bamako" once the sync has carried it.
  $$('[data-status]').forEach(function (box) {
    var id = box.getAttribute('data-status');
    var central = /** @type {HTMLElement | null} */ (box.querySelector('[data-central]'));
    if (!central || !central.hidden) return;
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

  // Voice message to an official: record, listen back, send as a submission attachment.
  $$('[data-recorder]').forEach(function (box) {
    if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    box.hidden = false;
    var rec = /** @type {HTMLElement} */ (box.querySelector('[data-rec]')),
      stop = /** @type {HTMLElement} */ (box.querySelector('[data-stop]'));
    var send = /** @type {HTMLButtonElement} */ (box.querySelector('[data-send]'));
    var preview = /** @type {HTMLAudioElement} */ (box.querySelector('[data-preview]')),
      state = /** @type {HTMLElement} */ (box.querySelector('.recstate'));
    /** @type {MediaRecorder | null} */
    var recorder = null;
    /** @type {Blob[]} */
    var chunks = [];
    /** @type {Blob | null} */
    var blob = null;
    var started = 0;
    /** @param {string} t */
    var say = function (t) {
      state.textContent = t;
    };
    rec.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(
        function (stream) {
          chunks = [];
          recorder = new MediaRecorder(stream);
          recorder.ondataavailable = function (e) {
            if (e.data && e.data.size) chunks.push(e.data);
          };
          recorder.onstop = function () {
            stream.getTracks().forEach(function (t) {
              t.stop();
            });
            blob = new Blob(chunks, { type: recorder.mimeType || 'audio/webm' });
            preview.src = URL.createObjectURL(blob);
            preview.hidden = false;
            send.hidden = false;
            say(box.getAttribute('data-recorded').replace('{s}', String(Math.max(1, Math.round((Date.now() - started) / 1000)))));
          };
          recorder.start();
          started = Date.now();
          rec.hidden = true;
          stop.hidden = false;
          send.hidden = true;
          say(box.getAttribute('data-recording'));
          // Long enough for a message, short enough for the hub's 3 MB limit.
          setTimeout(function () {
            if (recorder && recorder.state === 'recording') recorder.stop();
          }, 120000);
        },
        function () {
          say(box.getAttribute('data-nomic'));
        }
      );
    });
    stop.addEventListener('click', function () {
      if (recorder && recorder.state === 'recording') recorder.stop();
      stop.hidden = true;
      rec.hidden = false;
    });
    send.addEventListener('click', function () {
      if (!blob) return;
      send.disabled = true;
      var reader = new FileReader();
      reader.onload = function () {
        var data = String(reader.result).split(',')[1];
        var mime = (blob.type || 'audio/webm').split(';')[0];
        fetch('/api/v1/submissions/feedback', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ official: box.getAttribute('data-official'), audio: { mime: mime, data: data }, lang: box.getAttribute('data-lang') }),
        })
          .then(function (r) {
            if (!r.ok) throw new Error('status ' + r.status);
            say(box.getAttribute('data-sent'));
            send.hidden = true;
            preview.hidden = true;
            blob = null;
          })
          .catch(function () {
            say(box.getAttribute('data-error'));
          })
          .then(function () {
            send.disabled = false;
          });
      };
      reader.readAsDataURL(blob);
    });
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
    box.hidden = false;
    var btn = /** @type {HTMLButtonElement} */ (box.querySelector('button')),
      state = /** @type {HTMLElement} */ (box.querySelector('.keepstate'));
    var list = box.getAttribute('data-keep');
    var key = 'kept:' + list.split('/').slice(-2).join(':');
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
    var ul = box.querySelector('[data-items]'),
      usage = box.querySelector('[data-usage]');
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
          usage.textContent = box.getAttribute('data-used').replace('{used}', fmt(est.usage || 0));
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
