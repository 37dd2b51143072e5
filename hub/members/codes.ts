import { randomInt } from 'node:crypto';
import { MEMBER_CODE_ALPHABET } from '../../content/index.js';

/** A new random member code, "KX7-M4P" (23^6 ≈ 148 million codes: guessing one is hopeless, and PINs are throttled). */
export function newMemberCode(): string {
  let s = '';
  for (let i = 0; i < 6; i += 1) s += MEMBER_CODE_ALPHABET[randomInt(MEMBER_CODE_ALPHABET.length)]!;
  return `${s.slice(0, 3)}-${s.slice(3)}`;
}

/** What a person typed, made into a code: case, spaces and a missing dash forgiven ("kx7 m4p" → "KX7-M4P"). */
export function normaliseCode(typed: string): string {
  const s = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return s.length === 6 ? `${s.slice(0, 3)}-${s.slice(3)}` : typed.trim().toUpperCase();
}
