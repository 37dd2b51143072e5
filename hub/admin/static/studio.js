// Espace connecté — the studio's recorder. The page works without it (a file input and plain
// forms); with it: the Bambara letters one tap away, and record / listen back / record again in
// the browser. Whatever was recorded or picked is decoded here and sent as WAV, which the hub
// trims, levels and encodes (sox + opusenc): phones record in formats sox cannot read.
(function () {
  'use strict';

  // Letters a French keyboard lacks: inserted where the cursor is.
  document.querySelectorAll('[data-letters]').forEach(function (group) {
    var area = document.getElementById(group.getAttribute('data-letters') || '');
    group.addEventListener('click', function (e) {
      var b = e.target instanceof Element ? e.target.closest('[data-insert]') : null;
      var ch = b && b.getAttribute('data-insert');
      if (!ch || !(area instanceof HTMLTextAreaElement)) return;
      var start = area.selectionStart || 0;
      var end = area.selectionEnd || 0;
      area.value = area.value.slice(0, start) + ch + area.value.slice(end);
      area.focus();
      area.selectionStart = area.selectionEnd = start + ch.length;
    });
  });

  /**
   * 16-bit PCM WAV of the first channel (the hub makes it mono anyway).
   * @param {AudioBuffer} buffer
   */
  function wavOf(buffer) {
    var data = buffer.getChannelData(0);
    var rate = buffer.sampleRate;
    var out = new DataView(new ArrayBuffer(44 + data.length * 2));
    /** @type {(o: number, s: string) => void} */
    var text = function (o, s) {
      for (var i = 0; i < s.length; i++) out.setUint8(o + i, s.charCodeAt(i));
    };
    text(0, 'RIFF');
    out.setUint32(4, 36 + data.length * 2, true);
    text(8, 'WAVE');
    text(12, 'fmt ');
    out.setUint32(16, 16, true);
    out.setUint16(20, 1, true);
    out.setUint16(22, 1, true);
    out.setUint32(24, rate, true);
    out.setUint32(28, rate * 2, true);
    out.setUint16(32, 2, true);
    out.setUint16(34, 16, true);
    text(36, 'data');
    out.setUint32(40, data.length * 2, true);
    for (var i = 0; i < data.length; i++) {
      var s = Math.max(-1, Math.min(1, data[i]));
      out.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([out.buffer], { type: 'audio/wav' });
  }

  /** @param {Blob} blob @returns {Promise<Blob>} */
  function decodeToWav(blob) {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return Promise.reject(new Error('no AudioContext'));
    var ctx = new Ctx();
    return blob
      .arrayBuffer()
      .then(function (bytes) {
        return ctx.decodeAudioData(bytes);
      })
      .then(function (buffer) {
        ctx.close();
        return wavOf(buffer);
      });
  }

  document.querySelectorAll('form[data-recorder]').forEach(function (form) {
    // const: narrowed once here, still narrowed in the handlers below. A form without its
    // parts (another page's data-recorder) is left as it is.
    const input = form.querySelector('input[type=file]'),
      ui = form.querySelector('[data-recorder-ui]'),
      rec = form.querySelector('[data-rec]'),
      stop = form.querySelector('[data-stop]'),
      preview = form.querySelector('[data-preview]'),
      state = form.querySelector('[data-state]');
    if (
      !(input instanceof HTMLInputElement) ||
      !(ui instanceof HTMLElement) ||
      !(rec instanceof HTMLElement) ||
      !(stop instanceof HTMLElement) ||
      !(preview instanceof HTMLAudioElement) ||
      !(state instanceof HTMLElement)
    )
      return;
    /** @type {(wav: Blob, said: string) => void} */
    var put = function (wav, said) {
      var dt = new DataTransfer();
      dt.items.add(new File([wav], 'take.wav', { type: 'audio/wav' }));
      input.files = dt.files;
      preview.src = URL.createObjectURL(wav);
      preview.hidden = false;
      state.textContent = said;
    };

    // A picked file (a phone's voice recorder makes m4a or 3gp): decoded here when possible.
    input.addEventListener('change', function () {
      var f = input.files && input.files[0];
      if (!f || f.type === 'audio/wav' || f.name === 'take.wav') return;
      decodeToWav(f).then(
        function (wav) {
          put(wav, 'Fichier prêt : réécoutez, puis envoyez.');
        },
        function () {
          /* sent as it is: the hub says if it cannot read it */
        }
      );
    });

    // Recording needs a secure context (the kiosk on localhost, a phone over HTTPS).
    if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    ui.hidden = false;
    /** @type {MediaRecorder | null} */
    var recorder = null;
    rec.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(
        function (stream) {
          /** @type {Blob[]} */
          var chunks = [];
          var current = new MediaRecorder(stream);
          recorder = current;
          current.ondataavailable = function (e) {
            if (e.data.size) chunks.push(e.data);
          };
          current.onstop = function () {
            stream.getTracks().forEach(function (t) {
              t.stop();
            });
            state.textContent = 'Préparation…';
            decodeToWav(new Blob(chunks, { type: current.mimeType })).then(
              function (wav) {
                put(wav, 'Prise prête : réécoutez-la, enregistrez à nouveau ou envoyez-la.');
                rec.textContent = '● Enregistrer à nouveau';
                form.setAttribute('data-ready', '1');
              },
              function () {
                state.textContent = 'La prise n’a pas pu être lue : enregistrez à nouveau.';
              }
            );
          };
          current.start();
          rec.hidden = true;
          stop.hidden = false;
          state.textContent = 'Enregistrement… parlez maintenant.';
        },
        function () {
          state.textContent = 'Pas de micro ici : choisissez un fichier son.';
        }
      );
    });
    stop.addEventListener('click', function () {
      if (recorder && recorder.state !== 'inactive') recorder.stop();
      stop.hidden = true;
      rec.hidden = false;
    });
  });
})();
