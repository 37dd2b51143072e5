// Espace connecté — the recorder that fills a voice field's file input. Loaded only by pages
// with a voice field: the portal's posts, proposals and questions, and central's console
// (mentors' answers). Plain ES2017, no framework.
(function () {
  'use strict';
  // A post's recording: the file picker works everywhere (a phone on the space's plain-HTTP
  // Wi-Fi); where the page may use the microphone (HTTPS, the kiosk) the recorder fills it.
  Array.prototype.forEach.call(document.querySelectorAll('[data-voice-input]'), function (box) {
    if (!window.isSecureContext || !window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) return;
    var rec = box.querySelector('[data-rec]'),
      stop = box.querySelector('[data-stop]'),
      preview = box.querySelector('[data-preview]');
    var input = box.querySelector('input[type=file]'),
      state = box.querySelector('.recstate');
    /** @type {MediaRecorder | null} */
    var recorder = null;
    /** @type {Blob[]} */
    var chunks = [];
    var started = 0;
    // The page says how long a recording may be (the hub takes about 3 minutes for a post).
    var maxMs = (Number(box.getAttribute('data-max-seconds')) || 170) * 1000;
    box.querySelector('[data-recorder-box]').hidden = false;
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
            var type = (recorder.mimeType || 'audio/webm').split(';')[0];
            var file = new File(chunks, 'voix.' + (type.indexOf('ogg') >= 0 ? 'ogg' : type.indexOf('mp4') >= 0 ? 'm4a' : 'webm'), { type: type });
            var dt = new DataTransfer();
            dt.items.add(file);
            input.files = dt.files;
            preview.src = URL.createObjectURL(file);
            preview.hidden = false;
            state.textContent = box.getAttribute('data-recorded').replace('{s}', Math.max(1, Math.round((Date.now() - started) / 1000)));
          };
          recorder.start();
          started = Date.now();
          rec.hidden = true;
          stop.hidden = false;
          state.textContent = box.getAttribute('data-recording');
          setTimeout(function () {
            if (recorder && recorder.state === 'recording') {
              recorder.stop();
              stop.hidden = true;
              rec.hidden = false;
            }
          }, maxMs);
        },
        function () {
          state.textContent = box.getAttribute('data-nomic');
        }
      );
    });
    stop.addEventListener('click', function () {
      if (recorder && recorder.state === 'recording') recorder.stop();
      stop.hidden = true;
      rec.hidden = false;
    });
  });
})();
