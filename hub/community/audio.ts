/**
 * What a recording really is, read from its first bytes (a phone's file picker may send any
 * file, and the declared type is the phone's guess): the formats phones' recorders and voice
 * apps make. Null when it is not audio we can play back.
 */
export function sniffAudio(b: Uint8Array): string | null {
  if (b.length < 12) return null;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'audio/webm';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(0, 5) === '#!AMR') return 'audio/amr';
  if (ascii(4, 8) === 'ftyp') return ascii(8, 11) === '3gp' ? 'audio/3gpp' : 'audio/mp4';
  if (ascii(0, 3) === 'ID3') return 'audio/mpeg';
  // ADTS AAC (FFF1/FFF9) before MPEG audio frames (FFE…/FFF…): both start with a frame sync.
  if (b[0] === 0xff && (b[1]! & 0xf6) === 0xf0) return 'audio/aac';
  if (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) return 'audio/mpeg';
  return null;
}

export const AUDIO_EXT: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/wav': 'wav',
  'audio/amr': 'amr',
  'audio/3gpp': '3gp',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
};
