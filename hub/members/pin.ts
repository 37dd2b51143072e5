import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

const scrypt = (pin: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((ok, ko) => scryptCb(pin, salt, keylen, opts, (err, key) => (err ? ko(err) : ok(key))));

/** A member's PIN: short, so the hub throttles guesses (hub/auth's LoginThrottle, in MemberStore); hashed, never stored as typed. */
export const Pin = z.string().regex(/^\d{4,6}$/, 'the PIN is 4 to 6 digits');

/** scrypt at N=2^14: about 40 ms on a Pi 4, enough to make a stolen card's hash slow to try offline. */
const N = 16384;

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, 32, { N, r: 8, p: 1 });
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: 8, p: 1 });
  return timingSafeEqual(key, expected);
}
