import type { EVIDENCE_KINDS } from '../../content/index.js';
import { sniffVoice, VOICE_EXT } from './voice.js';

/** Evidence an official attaches to a plan's progress, at most: a phone's photo, a scanned page, a minute of voice (it travels on the space's paid uplink). */
export const EVIDENCE_MAX_BYTES = 3 * 1024 * 1024;

export interface EvidenceType {
  kind: (typeof EVIDENCE_KINDS)[number];
  mime: string;
  ext: string;
}

/**
 * What an evidence file is, from its first bytes (never from its name or the type the browser
 * declared): a JPEG, PNG or WebP photo, a PDF document, or a recording of a voice; null otherwise.
 */
export function sniffEvidence(b: Uint8Array): EvidenceType | null {
  const starts = (...x: number[]) => x.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return { kind: 'photo', mime: 'image/png', ext: 'png' };
  if (starts(0xff, 0xd8, 0xff)) return { kind: 'photo', mime: 'image/jpeg', ext: 'jpg' };
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50)
    return { kind: 'photo', mime: 'image/webp', ext: 'webp' };
  if (starts(0x25, 0x50, 0x44, 0x46)) return { kind: 'document', mime: 'application/pdf', ext: 'pdf' };
  const voice = sniffVoice(b);
  return voice ? { kind: 'voix', mime: voice, ext: VOICE_EXT[voice] } : null;
}

/** The kind of evidence a stored file's type stands for. */
export function evidenceKindOf(mime: string): (typeof EVIDENCE_KINDS)[number] {
  return mime.startsWith('image/') ? 'photo' : mime === 'application/pdf' ? 'document' : 'voix';
}
