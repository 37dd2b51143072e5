// The technician's screen: PIN first (checked by the kiosk's main process), then the
// kiosk's state and the reload and restart buttons.
(function technicianPage() {
  'use strict';
  var api = window.espaceKiosk && window.espaceKiosk.technician;
  // technician.html has all of these; const: narrowed once here, still in the handlers below.
  const form = document.getElementById('pin-form'),
    input = document.getElementById('pin'),
    message = document.getElementById('pin-message'),
    pad = document.getElementById('pad'),
    statusBox = document.getElementById('status'),
    list = document.getElementById('status-list'),
    leave = document.getElementById('leave');
  if (!(form instanceof HTMLFormElement) || !(input instanceof HTMLInputElement) || !message || !pad || !statusBox || !list || !leave) {
    throw new Error('technician.html lacks one of its parts (pin-form, pin, pin-message, pad, status, status-list, leave)');
  }

  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0', 'OK'].forEach(function (key) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = key;
    b.addEventListener('click', function () {
      if (key === 'OK') form.requestSubmit();
      else if (key === '⌫') input.value = input.value.slice(0, -1);
      else if (input.value.length < 8) input.value += key;
    });
    pad.appendChild(b);
  });

  /** @param {string} label @param {string} value */
  var row = function (label, value) {
    var dt = document.createElement('dt');
    dt.textContent = label;
    var dd = document.createElement('dd');
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  };

  /** @param {string | null | undefined} iso */
  function when(iso) {
    return iso ? new Date(iso).toLocaleString('fr-FR') : 'jamais';
  }

  // The hub's /api/v1/sync state, in a few words; fields it does not have are left out.
  /** @param {any} state the hub's /api/v1/sync answer, read defensively */
  function syncSummary(state) {
    if (!state || typeof state !== 'object') return String(state);
    var parts = [state.enabled === false ? 'désactivée' : state.running ? 'en cours' : 'activée'];
    var classes = state.classes || {};
    Object.keys(classes).forEach(function (name) {
      var c = classes[name] || {};
      parts.push(name + ' : ' + when(c.lastSuccess) + (c.lastError ? ' (erreur : ' + c.lastError + ')' : ''));
    });
    if (state.budget && typeof state.budget.bytesToday === 'number') {
      parts.push((state.budget.bytesToday / 1e6).toFixed(1) + ' Mo aujourd\u2019hui sur ' + (state.budget.bytesPerDay / 1e6).toFixed(0));
    }
    if (typeof state.unconfirmedSubmissions === 'number') parts.push(state.unconfirmedSubmissions + ' envois pas encore confirmés');
    return parts.join(' · ');
  }

  // The hub's /api/v1/coverage: per language, interface and content, text and a person's voice.
  /** @type {Record<string, string>} */
  var LANG = { fr: 'français', bm: 'bambara', snk: 'soninké' };
  /** @param {any} languages the hub's /api/v1/coverage languages, read defensively */
  function coverageSummary(languages) {
    if (!Array.isArray(languages)) return 'pas disponible';
    return languages
      .map(function (l) {
        return (
          (LANG[l.lang] || l.lang) +
          ' : interface ' +
          l.interface.textPct +
          ' % · ' +
          l.interface.voicePct +
          ' %, contenu ' +
          l.content.textPct +
          ' % · ' +
          l.content.voicePct +
          ' %'
        );
      })
      .join(' ; ');
  }

  /** @param {NonNullable<typeof api>} api */
  var showStatus = function (api) {
    api.status().then(
      function (s) {
        list.textContent = '';
        row('Version', s.version + (s.electron ? ' (Electron ' + s.electron + ')' : ''));
        row(
          'Hub',
          s.hubUrl +
            ' — ' +
            (s.hub.reachable
              ? 'répond (' + (s.hub.status || '?') + ', version ' + (s.hub.version || '?') + ')'
              : 'ne répond pas' + (s.hub.error ? ' : ' + s.hub.error : ''))
        );
        row('Synchronisation', s.sync.available ? syncSummary(s.sync.state) : 'pas disponible');
        row('Langues (texte · voix d\u2019une personne)', s.coverage && s.coverage.available ? coverageSummary(s.coverage.languages) : 'pas disponible');
        row('Adresses IP', s.addresses.join(', ') || 'aucune');
        row(
          'Écran',
          s.screen.state + ' (' + s.screen.backend + ')' + (s.screen.nextChange ? ', change à ' + new Date(s.screen.nextChange).toLocaleString('fr-FR') : '')
        );
        row('Reprises', s.recovery.reloads + ' rechargements, ' + s.recovery.recreates + ' fenêtres recréées');
        row('Remise à zéro', s.idleResetInSeconds === null ? '—' : 'dans ' + s.idleResetInSeconds + ' s');
      },
      function (e) {
        message.textContent = 'État indisponible : ' + e.message;
      }
    );
  };

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!api) {
      message.textContent = 'Ouvrez cet écran dans le kiosque.';
      return;
    }
    var unlocked = api;
    unlocked.unlock(input.value).then(function (r) {
      input.value = '';
      if (r.ok) {
        form.hidden = true;
        leave.hidden = true;
        statusBox.hidden = false;
        showStatus(unlocked);
        setInterval(showStatus, 5000, unlocked);
      } else if (/** @type {{ reason: string }} */ (r).reason === 'locked') {
        message.textContent = 'Trop d\u2019essais : réessayez dans ' + Math.ceil(/** @type {{ retryInSeconds: number }} */ (r).retryInSeconds / 60) + ' min.';
      } else {
        message.textContent = 'Code faux (' + /** @type {{ attemptsLeft: number }} */ (r).attemptsLeft + ' essais restants).';
      }
    });
  });

  document.querySelectorAll('[data-action]').forEach(function (b) {
    b.addEventListener('click', function () {
      if (api) api.act(/** @type {import('../ipc.js').TechnicianAction} */ (b.getAttribute('data-action')));
    });
  });
})();
