import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack, type Pack } from 'tar-stream';
import { AppError } from '../errors.js';
import { readPackSource, type PackSource } from './authoring.js';
import { signManifest, type SigningKey } from './keys.js';
import { docPathOf, MANIFEST_PATH, manifestBytes, mediaPathOf, PACK_FORMAT, SIGNATURE_PATH, type Manifest } from './manifest.js';
import type { PackProgress } from './progress.js';

export interface BuildOptions {
  /** Fixed for reproducible builds and tests; now by default. */
  createdAt?: string;
  onProgress?: PackProgress;
}

export interface BuildResult {
  file: string;
  manifest: Manifest;
  docs: number;
  media: number;
  bytes: number;
  unusedMedia: string[];
}

// Fixed entry metadata so the same sources give the same archive bytes.
const ENTRY_MTIME = new Date('2000-01-01T00:00:00Z');

function addEntry(pack: Pack, name: string, body: Buffer): Promise<void> {
  return new Promise((res, rej) => pack.entry({ name, size: body.length, mode: 0o644, mtime: ENTRY_MTIME }, body, (err) => (err ? rej(err) : res())));
}

/** Streams a media file into the archive, checking it is still the file that was hashed when the sources were read. */
async function addFile(pack: Pack, name: string, file: string, size: number, sha256: string): Promise<void> {
  const hash = createHash('sha256');
  const entry = pack.entry({ name, size, mode: 0o644, mtime: ENTRY_MTIME });
  const source = createReadStream(file);
  source.on('data', (chunk) => hash.update(chunk));
  await pipeline(source, entry as unknown as NodeJS.WritableStream);
  if (hash.digest('hex') !== sha256) {
    throw new AppError(409, 'pack-source-changed', `${file} changed while the pack was being built; build again`);
  }
}

/**
 * Builds a signed pack from a pack folder (or already-read sources) into `out`: manifest.json
 * and manifest.sig first, so a reader can check the signature before anything else, then
 * the docs, then the media. Written to a temporary name and renamed, so `out` is whole or absent.
 */
export async function buildPack(source: string | PackSource, key: SigningKey, out: string, options: BuildOptions = {}): Promise<BuildResult> {
  const src = typeof source === 'string' ? await readPackSource(source) : source;
  const docBodies = [...src.docs, ...src.media.map((m) => m.meta)]
    .map((doc) => ({ path: docPathOf(doc._id), body: Buffer.from(`${JSON.stringify(doc)}\n`, 'utf8') }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const media = src.media
    .map((m) => ({ path: mediaPathOf(m.meta.sha256), file: m.file, sha256: m.meta.sha256, size: m.meta.size }))
    .sort((a, b) => a.path.localeCompare(b.path));

  const manifest: Manifest = {
    format: PACK_FORMAT,
    ...src.info,
    createdAt: options.createdAt ?? new Date().toISOString(),
    keyId: key.id,
    entries: [
      ...docBodies.map((d) => ({ path: d.path, sha256: createHash('sha256').update(d.body).digest('hex'), size: d.body.length })),
      ...media.map((m) => ({ path: m.path, sha256: m.sha256, size: m.size })),
    ],
  };
  const bytes = manifestBytes(manifest);
  const total = manifest.entries.reduce((n, e) => n + e.size, 0);
  let done = 0;
  const step = (size: number) => {
    done += size;
    options.onProgress?.({ phase: 'build', done, total });
  };

  await fsp.mkdir(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${randomBytes(6).toString('hex')}.tmp`);
  const pack = tarPack();
  const written = pipeline(pack as unknown as NodeJS.ReadableStream, createGzip({ level: 9 }), createWriteStream(tmp, { flags: 'wx' }));
  written.catch(() => {}); // awaited after the entries are added
  try {
    await addEntry(pack, MANIFEST_PATH, bytes);
    await addEntry(pack, SIGNATURE_PATH, signManifest(bytes, key.privateKey));
    for (const d of docBodies) {
      await addEntry(pack, d.path, d.body);
      step(d.body.length);
    }
    for (const m of media) {
      await addFile(pack, m.path, m.file, m.size, m.sha256);
      step(m.size);
    }
    pack.finalize();
    await written;
    await fsp.rename(tmp, out);
  } catch (e) {
    pack.destroy();
    await written.catch(() => {});
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  const { size } = await fsp.stat(out);
  return { file: out, manifest, docs: src.docs.length, media: media.length, bytes: size, unusedMedia: src.unusedMedia };
}
