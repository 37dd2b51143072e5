import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../../../content/index.js';
import { checkVoice, sniffVoice, VOICE_MAX_BYTES } from '../../../../hub/submissions/index.js';
import { spokenRecording } from '../../../support/index.js';

const head = (...parts: (string | number[])[]) =>
  Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))), Buffer.alloc(16)]);

async function refusal(bytes: Uint8Array): Promise<string> {
  try {
    await checkVoice(bytes);
  } catch (e) {
    assert.ok(isAppError(e));
    return e.reason;
  }
  return 'accepted';
}

describe('voice messages are typed by their bytes', () => {
  it('knows each recorder’s container by its signature', () => {
    assert.equal(sniffVoice(head('RIFF', [0, 0, 0, 0], 'WAVE')), 'audio/wav');
    assert.equal(sniffVoice(head('OggS')), 'audio/ogg');
    assert.equal(sniffVoice(head([0x1a, 0x45, 0xdf, 0xa3])), 'audio/webm');
    assert.equal(sniffVoice(head([0, 0, 0, 0x18], 'ftypM4A ')), 'audio/mp4');
    assert.equal(sniffVoice(head([0, 0, 0, 0x18], 'ftyp3gp4')), 'audio/3gpp');
    assert.equal(sniffVoice(head('#!AMR\n')), 'audio/amr');
    assert.equal(sniffVoice(head('ID3')), 'audio/mpeg');
    assert.equal(sniffVoice(head([0xff, 0xfb, 0x90, 0x64])), 'audio/mpeg');
    for (const other of [head('<html>'), head('%PDF-1.4'), head([0x89], 'PNG'), head([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('OggS')])
      assert.equal(sniffVoice(other), null);
  });

  it('accepts real recordings and reads their duration', async () => {
    const ogg = await checkVoice(spokenRecording());
    assert.equal(ogg.mime, 'audio/ogg');
    assert.ok(ogg.seconds! > 2 && ogg.seconds! < 8, `duration ${ogg.seconds}`);
    assert.equal((await checkVoice(spokenRecording('wav'))).mime, 'audio/wav');
  });

  it('refuses empty, oversized, non-audio and truncated-beyond-reading files', async () => {
    assert.equal(await refusal(new Uint8Array()), 'voice-empty');
    assert.equal(await refusal(new Uint8Array(VOICE_MAX_BYTES + 1)), 'voice-too-large');
    assert.equal(await refusal(Buffer.from('<script>alert(1)</script>'.repeat(10))), 'voice-not-audio');
    assert.equal(await refusal(head('RIFF', [0xff, 0xff, 0, 0], 'WAVEjunk')), 'voice-not-audio');
  });

  it('refuses a recording longer than three minutes', async () => {
    // A WAV header that says 200 s of 8 kHz mono 8-bit sound (the parser reads the header).
    const seconds = 200;
    const data = 8000 * seconds;
    const h = Buffer.alloc(44);
    h.write('RIFF', 0, 'latin1');
    h.writeUInt32LE(36 + data, 4);
    h.write('WAVEfmt ', 8, 'latin1');
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(1, 22);
    h.writeUInt32LE(8000, 24);
    h.writeUInt32LE(8000, 28);
    h.writeUInt16LE(1, 32);
    h.writeUInt16LE(8, 34);
    h.write('data', 36, 'latin1');
    h.writeUInt32LE(data, 40);
    assert.equal(await refusal(Buffer.concat([h, Buffer.alloc(data, 0x80)])), 'voice-too-long');
  });
});
