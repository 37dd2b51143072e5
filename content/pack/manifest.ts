import { z } from 'zod';
import { Audience, IsoDateTime, Language, Sha256, Slug, Text } from '../schema/index.js';
import { SEMVER } from './semver.js';

export const PACK_FORMAT = 'espace-pack/1';
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.sig';

/** Doc entries are `docs/<type>/<slug>.json` (so ids map to plain names), media `media/<sha256>`. */
export const DOC_PATH = /^docs\/([a-z]+)\/([a-z0-9][a-z0-9-]{0,80})\.json$/;
export const MEDIA_PATH = /^media\/([0-9a-f]{64})$/;

export function docPathOf(id: string): string {
  const colon = id.indexOf(':');
  return `docs/${id.slice(0, colon)}/${id.slice(colon + 1)}.json`;
}

export function mediaPathOf(sha256: string): string {
  return `media/${sha256}`;
}

/** What pack.yaml declares and the manifest repeats (signed), so a hub can show a pack before importing it. */
export const PackInfo = z
  .object({
    name: Slug,
    version: z.string().regex(SEMVER, 'version must be a semantic version like "1.0.0"'),
    title: z.union([z.string().trim().min(1).max(200), Text]),
    description: z.union([z.string().max(2000), Text]).optional(),
    audience: Audience,
    languages: z.array(Language).min(1),
    demo: z.boolean().optional(),
  })
  .strict();
export type PackInfo = z.infer<typeof PackInfo>;

export const ManifestEntry = z
  .object({
    path: z.string().refine((p) => DOC_PATH.test(p) || MEDIA_PATH.test(p), {
      error: 'entry path must be docs/<type>/<slug>.json or media/<sha256>',
    }),
    sha256: Sha256,
    size: z.number().int().nonnegative(),
  })
  .strict()
  .refine((e) => !MEDIA_PATH.test(e.path) || e.path === mediaPathOf(e.sha256), {
    error: 'a media entry must be named media/<its sha256>',
    path: ['path'],
  });
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z
  .object({
    format: z.literal(PACK_FORMAT),
    ...PackInfo.shape,
    createdAt: IsoDateTime,
    keyId: z.string().min(1).max(60),
    entries: z.array(ManifestEntry),
  })
  .strict()
  .refine((m) => new Set(m.entries.map((e) => e.path)).size === m.entries.length, {
    error: 'entry paths must be unique',
    path: ['entries'],
  });
export type Manifest = z.infer<typeof Manifest>;

/** The exact bytes that are signed and stored; the reader verifies these bytes, never a re-serialisation. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}
