// Espace connecté — the one in-page voice recorder. Loaded only by pages with a voice field
// or a voice message: the portal's posts, proposals and questions, an official's page, and
// central's console (mentors' answers). Plain ES2017, no framework.
(function () {
  'use strict';
  /**
   * @param {Element} box
   * @param {string} name
   */
  var say = function (box, name) {
    return box.getAttribute(name) || '';
  };

  /**
   * Wires the recorder in `box` (its buttons [data-rec] and [data-stop], its status line
   * .recstate and its sentences data-recording, data-recorded with {s}, data-nomic): records
   * at most `maxMs`, then hands the recording over as a file. False where the page lacks a
   * part (nothing is wired then, and the page's file picker still works).
   * @param {Element} box
   * @param {{ maxMs: number, onStart: () => void, onRecorded: (file: File) => void }} opts
   * @returns {boolean}
   */
  var recorderIn = function (box, opts) {
    // const: narrowed once here, still narrowed in the handlers below.
    const rec = box.querySelector('[data-rec]'),
      stop = box.querySelector('[data-stop]'),
      state = box.querySelector('.recstate');
    if (!(rec instanceof HTMLElement) || !(stop instanceof HTMLElement) || !(state instanceof HTMLElement)) return false;
    /** @type {MediaRecorder | null} */
    var recorder = null;
    var started = 0;
    var idle = function () {
      stop.hidden = true;
      rec.hidden = false;
    };
    rec.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(
        function (stream) {
          /** @type {Blob[]} */
          var chunks = [];
          var current = new MediaRecorder(stream);
          recorder = current;
          current.ondataavailable = function (e) {
            if (e.data && e.data.size) chunks.push(e.data);
          };
          current.onstop = function () {
            stream.getTracks().forEach(function (t) {
              t.stop();
            });
            var type = (current.mimeType || 'audio/webm').split(';')[0] || 'audio/webm';
            var ext = type.indexOf('ogg') >= 0 ? 'ogg' : type.indexOf('mp4') >= 0 ? 'm4a' : 'webm';
            opts.onRecorded(new File(chunks, 'voix.' + ext, { type: type }));
            state.textContent = say(box, 'data-recorded').replace('{s}', String(Math.max(1, Math.round((Date.now() - started) / 1000))));
          };
          current.start();
          started = Date.now();
          rec.hidden = true;
          stop.hidden = false;
          opts.onStart();
          state.textContent = say(box, 'data-recording');
          setTimeout(function () {
            if (current.state === 'recording') {
              current.stop();
              idle();
            }
          }, opts.maxMs);
        },
        function () {
          state.textContent = say(box, 'data-nomic');
        }
      );
    });
    stop.addEventListener('click', function () {
      if (recorder && recorder.state === 'recording') recorder.stop();
      idle();
    });
    return true;
  };

  // Where the page may use the microphone at all (HTTPS, the kiosk): getUserMedia exists only there.
  var canRecord = !!(window.isSecureContext && window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  if (!canRecord) return;

  // A post's recording: the file picker works everywhere (a phone on the space's plain-HTTP
  // Wi-Fi); where the page may use the microphone the recorder fills it.
  Array.prototype.forEach.call(
    document.querySelectorAll('[data-voice-input]'),
    /** @param {Element} box */ function (box) {
      const input = box.querySelector('input[type=file]'),
        preview = box.querySelector('[data-preview]'),
        ui = box.querySelector('[data-recorder-box]');
      if (!window.DataTransfer || !(input instanceof HTMLInputElement) || !(preview instanceof HTMLAudioElement) || !(ui instanceof HTMLElement)) return;
      // The page says how long a recording may be (the hub takes about 3 minutes for a post).
      var wired = recorderIn(box, {
        maxMs: (Number(box.getAttribute('data-max-seconds')) || 170) * 1000,
        onStart: function () {},
        onRecorded: function (file) {
          var dt = new DataTransfer();
          dt.items.add(file);
          input.files = dt.files;
          preview.src = URL.createObjectURL(file);
          preview.hidden = false;
        },
      });
      if (wired) ui.hidden = false;
    }
  );

  // A voice message to an official: record, listen back, send as a submission attachment.
  Array.prototype.forEach.call(
    document.querySelectorAll('[data-recorder][data-official]'),
    /** @param {Element} box */ function (box) {
      const send = box.querySelector('[data-send]'),
        preview = box.querySelector('[data-preview]'),
        state = box.querySelector('.recstate');
      if (!(box instanceof HTMLElement) || !(send instanceof HTMLButtonElement) || !(preview instanceof HTMLAudioElement) || !(state instanceof HTMLElement))
        return;
      /** @type {Blob | null} */
      var recorded = null;
      // Long enough for a message, short enough for the hub's 3 MB limit.
      var wired = recorderIn(box, {
        maxMs: 120000,
        onStart: function () {
          send.hidden = true;
        },
        onRecorded: function (file) {
          recorded = file;
          preview.src = URL.createObjectURL(file);
          preview.hidden = false;
          send.hidden = false;
        },
      });
      if (!wired) return;
      box.hidden = false;
      send.addEventListener('click', function () {
        const blob = recorded;
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
              state.textContent = say(box, 'data-sent');
              send.hidden = true;
              preview.hidden = true;
              recorded = null;
            })
            .catch(function () {
              state.textContent = say(box, 'data-error');
            })
            .then(function () {
              send.disabled = false;
            });
        };
        reader.readAsDataURL(blob);
      });
    }
  );
})();
