import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../errors.js';

/** The committed demo key pair: for development and the demo only, never for a real deployment. */
export const DEMO_KEY_ID = 'demo-signing';
export const DEMO_KEYS_DIR = join('content', 'keys');

/** The embedded demo: its sources, and the pack `make build` makes of them. */
export const DEMO_PACK_DIR = join('content', 'packs', 'kayes');
export const DEMO_PACK_FILE = join('dist', 'packs', 'kayes.espack');

/** A key a hub accepts packs from, as the config lists it. */
export interface TrustedKey {
  id: string;
  /** SPKI PEM, or the 32 raw bytes of an Ed25519 public key in base64. */
  publicKey: string;
}

/** The part of the hub config that says which keys to trust (structural: the content room does not depend on the hub). */
export interface TrustConfig {
  trustedKeys: TrustedKey[];
  trustDemoKey: boolean;
}

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
}

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      2,
      'pack-bad-key',
      `${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key; pack keys are Ed25519 (make one with "espace content keygen")`
    );
  }
  return key;
}

/** Parses a trusted public key in either accepted form. */
export function publicKeyFrom(key: TrustedKey): KeyObject {
  try {
    if (key.publicKey.includes('-----BEGIN')) return ed25519(createPublicKey(key.publicKey), `trusted key '${key.id}'`);
    const raw = Buffer.from(key.publicKey.trim(), 'base64');
    if (raw.length !== 32) throw new Error(`${raw.length} bytes instead of 32`);
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      2,
      'pack-bad-key',
      `trusted key '${key.id}' is not an Ed25519 public key (${(e as Error).message}); paste the .pub file made by "espace content keygen", or its base64 line`
    );
  }
}

/** The 32 raw bytes of a public key in base64: the one-line form for a config file. */
export function rawPublicKeyBase64(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

/** The demo public key, read from the source tree under `root`. */
export function demoTrustedKey(root: string): TrustedKey {
  return { id: DEMO_KEY_ID, publicKey: readFileSync(join(root, DEMO_KEYS_DIR, `${DEMO_KEY_ID}.pub`), 'utf8') };
}

/** The keys a hub with this config trusts: those it lists, plus the demo key only when `trustDemoKey` is on. */
export function trustedKeysOf(config: TrustConfig, root: string): TrustedKey[] {
  const keys = [...config.trustedKeys];
  if (config.trustDemoKey && !keys.some((k) => k.id === DEMO_KEY_ID)) keys.push(demoTrustedKey(root));
  return keys;
}

/**
 * Loads a private key file written by keygen. Its id is the file name without `.key`
 * unless given, so `kayes-2026.key` signs as `kayes-2026`.
 */
export function loadSigningKey(file: string, id?: string): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw new AppError(2, 'pack-key-missing', `cannot read the private key ${file}; check the path given to --key`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new AppError(2, 'pack-bad-key', `${file} is not a private key in PEM form; make one with "espace content keygen"`);
  }
  ed25519(privateKey, file);
  const keyId = id ?? basename(file).replace(/\.key$/, '');
  if (!/^[A-Za-z0-9._-]{1,60}$/.test(keyId)) {
    throw new AppError(2, 'pack-bad-key', `key id "${keyId}" must be 1–60 letters, digits, ".", "_" or "-"; pass --key-id`);
  }
  return { id: keyId, privateKey };
}

export function generateSigningKeyPair(): { privatePem: string; publicPem: string; publicRaw: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicRaw: rawPublicKeyBase64(publicKey),
  };
}

/** The signature file's content: the Ed25519 signature of the manifest bytes, in base64 on one line. */
export function signManifest(bytes: Uint8Array, key: KeyObject): Buffer {
  return Buffer.from(`${sign(null, bytes, key).toString('base64')}\n`, 'ascii');
}

export function signatureValid(bytes: Uint8Array, signatureFile: Uint8Array, key: KeyObject): boolean {
  const text = Buffer.from(signatureFile).toString('ascii').trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(text)) return false;
  return verify(null, bytes, key, Buffer.from(text, 'base64'));
}
