import { AppError, type VoiceMime } from '../../content/index.js';

/** A voice message's bytes at most: what the JSON API's base64 limit (4 MB of text, SUBMISSION_BODY_LIMITS) carries. */
export const VOICE_MAX_BYTES = 3_000_000;
/** Long enough to say what one has to say; an official listens to every one. */
export const VOICE_MAX_SECONDS = 180;

export const VOICE_EXT: Record<VoiceMime, string> = {
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/3gpp': '3gp',
  'audio/amr': 'amr',
  'audio/aac': 'aac',
};

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/**
 * The type of a recording read from its first bytes (its container's signature), never from
 * the name or the type the phone declared: a phone says "audio/mpeg" for an m4a, and a
 * stranger may say "audio/ogg" for anything.
 */
export function sniffVoice(b: Uint8Array): VoiceMime | null {
  if (b.length < 12) return null;
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(b, 0, 4) === 'OggS') return 'audio/ogg';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'audio/webm';
  if (ascii(b, 4, 8) === 'ftyp') return ascii(b, 8, 11) === '3gp' || ascii(b, 8, 11) === '3g2' ? 'audio/3gpp' : 'audio/mp4';
  if (ascii(b, 0, 6) === '#!AMR\n' || ascii(b, 0, 9) === '#!AMR-WB\n') return 'audio/amr';
  if (ascii(b, 0, 3) === 'ID3') return 'audio/mpeg';
  // ADTS AAC (FFF1/FFF9) before MPEG audio frames: both start with a frame sync.
  if (b[0] === 0xff && (b[1]! & 0xf6) === 0xf0) return 'audio/aac';
  // An MPEG audio frame header: 11 sync bits, a layer that is not "reserved", a valid bitrate.
  if (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0 && b[2]! >> 4 !== 0x0f) return 'audio/mpeg';
  return null;
}

export interface CheckedVoice {
  mime: VoiceMime;
  /** From the container's own header; null when it does not say (MediaRecorder's webm). */
  seconds: number | null;
}

/**
 * Checks a recording before it is stored: a known audio container (by its bytes), a size and
 * a duration within limits, and audio in it. The errors carry reasons the portal turns into
 * the visitor's language.
 */
export async function checkVoice(bytes: Uint8Array): Promise<CheckedVoice> {
  if (bytes.length === 0) throw new AppError(422, 'voice-empty', 'the recording is empty; record the message again');
  if (bytes.length > VOICE_MAX_BYTES)
    throw new AppError(413, 'voice-too-large', `the recording is larger than ${VOICE_MAX_BYTES / 1_000_000} MB; record a shorter message`);
  const mime = sniffVoice(bytes);
  if (!mime)
    throw new AppError(
      422,
      'voice-not-audio',
      "this file is not a recording the hub knows (webm, ogg, m4a, 3gp, amr, mp3 or wav); record the message with the phone's recorder"
    );
  // Loaded with the first voice message: most requests never need a parser.
  const { parseBuffer } = await import('music-metadata');
  let seconds: number | null;
  try {
    const meta = await parseBuffer(bytes, { mimeType: mime, size: bytes.length }, { duration: true, skipCovers: true });
    // A real recording names its codec or its sample rate; a container's header alone is not one.
    if (meta.format.hasAudio === false || meta.format.hasVideo === true || (!meta.format.codec && !meta.format.sampleRate)) {
      throw new AppError(422, 'voice-not-audio', 'this file holds no sound, or holds a video; send a sound recording');
    }
    seconds = typeof meta.format.duration === 'number' && Number.isFinite(meta.format.duration) ? meta.format.duration : null;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(422, 'voice-not-audio', `this recording cannot be read (${(e as Error).message.slice(0, 80)}); record the message again`);
  }
  if (seconds !== null && seconds > VOICE_MAX_SECONDS) {
    throw new AppError(422, 'voice-too-long', `the recording lasts ${Math.round(seconds)} s; ${VOICE_MAX_SECONDS} s at most`);
  }
  return { mime, seconds };
}
