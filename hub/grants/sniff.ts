import type { GrantFileType } from '../../content/index.js';

/**
 * The type of a document read from its first bytes, never from its name or the type the
 * browser declared: a PDF, a JPEG or a PNG (what a phone photographs or a scanner makes).
 */
export function sniffFile(b: Uint8Array): GrantFileType | null {
  if (b.length < 8) return null;
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'application/pdf'; // %PDF-
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  return null;
}
