import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../content/index.js';

/**
 * A USB bundle: the submissions a hub could not sync, for a technician to carry to Bamako.
 *
 *   ESPACE-BUNDLE 1\n
 *   <header JSON>\n                      plain: who made it, when, how many docs, how to derive the key
 *   <AES-256-GCM ciphertext of gzip(JSON)>
 *   <16-byte GCM tag>                    the header is additional authenticated data
 *   <32-byte HMAC-SHA256 seal>           over everything before it, with a second derived key
 *
 * Both keys come from one secret shared by the hub and central's operators: the profile's
 * bundle key, or else the hub's own central credentials. Any changed byte is refused.
 */
const MAGIC = 'ESPACE-BUNDLE 1\n';
const TAG = 16;
const SEAL = 32;
/** scrypt cost for deriving keys: a password may be weak, so guessing it must cost. */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;

export const BundleHeader = z
  .object({
    format: z.literal('espace-bundle'),
    version: z.literal(1),
    hubId: z.string(),
    createdAt: z.string(),
    counts: z.record(z.string(), z.number().int().nonnegative()),
    key: z.object({ source: z.enum(['bundle-key', 'central-credentials']), username: z.string().optional() }).strict(),
    salt: z.string(),
    iv: z.string(),
    cost: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }).strict(),
  })
  .strict();
export type BundleHeader = z.infer<typeof BundleHeader>;

/** The secret a bundle is sealed with. */
export type BundleSecret = { source: 'bundle-key'; key: Buffer } | { source: 'central-credentials'; username: string; password: string };

export interface BundleContent {
  /** Docs per database, each with `_revisions` and inline attachments, ready for `new_edits: false`. */
  dbs: Record<string, Record<string, unknown>[]>;
}

function deriveKeys(secret: BundleSecret, salt: Buffer, cost: { N: number; r: number; p: number }): { enc: Buffer; mac: Buffer } {
  const ikm = secret.source === 'bundle-key' ? secret.key : Buffer.from(`${secret.username}\0${secret.password}`, 'utf8');
  const out = scryptSync(ikm, Buffer.concat([Buffer.from('espace-bundle-v1\0'), salt]), 64, { ...cost, maxmem: 256 * cost.N * cost.r });
  return { enc: out.subarray(0, 32), mac: out.subarray(32) };
}

export function sealBundle(hubId: string, content: BundleContent, secret: BundleSecret, now = new Date()): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header: BundleHeader = {
    format: 'espace-bundle',
    version: 1,
    hubId,
    createdAt: now.toISOString(),
    counts: Object.fromEntries(Object.entries(content.dbs).map(([k, v]) => [k, v.length])),
    key: secret.source === 'bundle-key' ? { source: 'bundle-key' } : { source: 'central-credentials', username: secret.username },
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    cost: { ...COST },
  };
  const head = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8');
  const { enc, mac } = deriveKeys(secret, salt, COST);
  const cipher = createCipheriv('aes-256-gcm', enc, iv);
  cipher.setAAD(head);
  const body = Buffer.concat([cipher.update(gzipSync(JSON.stringify(content))), cipher.final(), cipher.getAuthTag()]);
  const unsealed = Buffer.concat([head, body]);
  return Buffer.concat([unsealed, createHmac('sha256', mac).update(unsealed).digest()]);
}

/** Reads only the plain header (to know which secret to ask for); the content stays sealed. */
export function readBundleHeader(file: Buffer): { header: BundleHeader; headLength: number } {
  const refuse = (why: string) => new AppError(422, 'bundle-invalid', `this is not a readable Espace bundle (${why}); was the file copied whole?`);
  if (file.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw refuse('it does not start like one');
  const end = file.indexOf(0x0a, MAGIC.length);
  if (end < 0 || end > 64 * 1024) throw refuse('no header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.subarray(MAGIC.length, end).toString('utf8'));
  } catch {
    throw refuse('damaged header');
  }
  const header = BundleHeader.safeParse(parsed);
  if (!header.success) throw refuse('unknown header');
  if (file.length < end + 1 + TAG + SEAL) throw refuse('too short');
  return { header: header.data, headLength: end + 1 };
}

/** Checks the seal, then decrypts; refuses a changed byte or a wrong secret, and says which it may be. */
export function openBundle(file: Buffer, secret: BundleSecret): { header: BundleHeader; content: BundleContent } {
  const { header, headLength } = readBundleHeader(file);
  if (header.key.source !== secret.source) {
    throw new AppError(
      422,
      'bundle-wrong-secret',
      `this bundle was sealed with the ${header.key.source === 'bundle-key' ? "profile's bundle key (ESPACE_BUNDLE_KEY)" : `central credentials of ${header.key.username}`}; give that instead`
    );
  }
  const { enc, mac } = deriveKeys(secret, Buffer.from(header.salt, 'base64'), header.cost);
  const unsealed = file.subarray(0, file.length - SEAL);
  const expected = createHmac('sha256', mac).update(unsealed).digest();
  if (!timingSafeEqual(expected, file.subarray(file.length - SEAL))) {
    throw new AppError(
      422,
      'bundle-tampered',
      `the bundle from ${header.hubId} does not match its seal: it was changed or damaged on the way, or the secret is not the one it was sealed with. Nothing was loaded.`
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', enc, Buffer.from(header.iv, 'base64'));
    decipher.setAAD(file.subarray(0, headLength));
    decipher.setAuthTag(unsealed.subarray(unsealed.length - TAG));
    const plain = Buffer.concat([decipher.update(unsealed.subarray(headLength, unsealed.length - TAG)), decipher.final()]);
    return { header, content: JSON.parse(gunzipSync(plain).toString('utf8')) as BundleContent };
  } catch {
    throw new AppError(422, 'bundle-tampered', `the bundle from ${header.hubId} cannot be decrypted: it was changed or damaged. Nothing was loaded.`);
  }
}
