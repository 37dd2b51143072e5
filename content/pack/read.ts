import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Header } from 'tar-stream';
import { AppError, isAppError, isNotFound } from '../errors.js';
import { describeIssues, parseContentDoc, parseMediaMeta, type ContentDoc, type MediaMeta } from '../schema/index.js';
import { publicKeyFrom, signatureValid, type TrustedKey } from './keys.js';
import { DOC_PATH, docPathOf, Manifest, MANIFEST_PATH, MEDIA_PATH, SIGNATURE_PATH, type ManifestEntry } from './manifest.js';
import type { PackProgress } from './progress.js';
import { checkReferences } from './references.js';

/** Bounds on what a pack may make the reader do, whatever its manifest says. */
export interface PackLimits {
  maxEntries: number;
  maxManifestBytes: number;
  maxDocBytes: number;
  /** Hard cap on decompressed bytes, however large the declared sizes. */
  maxTotalBytes: number;
}

export const DEFAULT_LIMITS: PackLimits = {
  maxEntries: 100_000,
  maxManifestBytes: 16 * 1024 * 1024,
  maxDocBytes: 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
};

/** Receives each media file's bytes once the manifest is verified; the reader checks size and hash as they flow. */
export type MediaSink = (sha256: string, bytes: Readable, size: number) => Promise<unknown>;

export interface ReadOptions {
  limits?: Partial<PackLimits>;
  /** Where media bytes go (the hub's media store); without one they are checked and dropped. */
  mediaSink?: MediaSink;
  onProgress?: PackProgress;
}

/** A pack whose signature, every hash, every size and every doc have been checked. */
export interface VerifiedPack {
  manifest: Manifest;
  /** sha256 of the manifest bytes: the pack's identity. */
  manifestSha256: string;
  docs: ContentDoc[];
  media: MediaMeta[];
}

function refuse(reason: string, details: string): never {
  throw new AppError(422, reason, details);
}

// Tar headers, padding to 512-byte blocks and the end-of-archive blocks; generous for pax headers.
const TAR_OVERHEAD_PER_ENTRY = 3 * 512;
const TAR_OVERHEAD_FIXED = 64 * 1024;

/** Counts decompressed bytes and stops the stream past a limit that grows once the manifest is trusted. */
class ByteLimit extends Transform {
  total = 0;
  constructor(public limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.total += chunk.length;
    if (this.total > this.limit) {
      cb(
        new AppError(
          422,
          'pack-too-large',
          `the pack decompresses to more than ${this.limit} bytes, beyond what its manifest declares; it is damaged or malicious, do not use it`
        )
      );
      return;
    }
    cb(null, chunk);
  }
}

/** tar-stream entries are streamx streams: async-iterable at run time, though their types omit it. */
function chunksOf(entry: object): AsyncIterable<Buffer> {
  return entry as AsyncIterable<Buffer>;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkEntryName(header: Header): string {
  const name = header.name;
  if (header.type !== 'file')
    refuse('pack-bad-entry', `the pack holds a ${header.type} entry "${name}"; a pack holds only plain files, so it was not made by "espace content build"`);
  if (name !== MANIFEST_PATH && name !== SIGNATURE_PATH && !DOC_PATH.test(name) && !MEDIA_PATH.test(name)) {
    refuse(
      'pack-bad-entry',
      `the pack holds an entry named ${JSON.stringify(name.slice(0, 120))}, which no pack may hold (paths like "../" or odd names are refused); rebuild it with "espace content build"`
    );
  }
  return name;
}

/** Reads and checks the first two entries: the manifest and its signature by a trusted key. */
function verifyManifest(bytes: Buffer, signature: Buffer | undefined, trusted: readonly TrustedKey[]): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    refuse('pack-bad-json', 'the pack manifest is not valid JSON; the pack is damaged, build or copy it again');
  }
  const keyId = (json as { keyId?: unknown } | null)?.keyId;
  if (signature === undefined) refuse('pack-unsigned', 'the pack is not signed (no manifest.sig); build it with "espace content build --key …"');
  if (typeof keyId !== 'string') refuse('pack-unsigned', 'the pack manifest names no signing key (keyId); build it with "espace content build --key …"');
  const key = trusted.find((k) => k.id === keyId);
  if (!key) {
    refuse(
      'pack-untrusted-key',
      `the pack is signed with key '${keyId.slice(0, 60)}' which this hub does not trust; add its public key to trustedKeys in the config${keyId === 'demo-signing' ? ' (or set trustDemoKey: true on a demo hub)' : ''}`
    );
  }
  if (!signatureValid(bytes, signature, publicKeyFrom(key))) {
    refuse(
      'pack-bad-signature',
      `the pack's signature does not match its manifest for key '${keyId}': it was changed after signing or damaged; get the original pack again`
    );
  }
  const result = Manifest.safeParse(json);
  if (!result.success) refuse('pack-bad-manifest', `the pack manifest is not valid: ${describeIssues(result.error)}`);
  return result.data;
}

function parseJsonDoc(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return refuse('pack-bad-json', `${path} in the pack is not valid JSON; rebuild the pack`);
  }
}

/** Streams media bytes through a hash and size check into the sink. */
async function receiveMedia(entry: AsyncIterable<Buffer>, want: ManifestEntry, sink: MediaSink | undefined): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  const flowing = pipeline(Readable.from(entry, { objectMode: false }), tap);
  // Awaited below, after the sink; until then a damaged archive must not surface as an unhandled rejection.
  flowing.catch(() => {});
  try {
    if (sink) await sink(want.sha256, tap, want.size);
    // The sink may have stopped early (it already had the file): the rest must still be read and hashed.
    tap.resume();
    await flowing;
  } catch (e) {
    tap.destroy();
    await flowing.catch(() => {});
    if (size === want.size && hash.copy().digest('hex') !== want.sha256) throw mismatch(want);
    throw e;
  }
  if (size !== want.size)
    refuse('pack-size-mismatch', `${want.path} holds ${size} bytes where the manifest says ${want.size}; the pack is damaged, get it again`);
  if (hash.digest('hex') !== want.sha256) throw mismatch(want);
}

function mismatch(want: ManifestEntry): AppError {
  return new AppError(
    422,
    'pack-hash-mismatch',
    `${want.path} does not match its sha256 in the signed manifest: the pack was changed or damaged; get the original again`
  );
}

/** Reads the pack, refusing anything that is not exactly what its signed manifest lists. */
async function readEntries(file: string, trusted: readonly TrustedKey[], opts: ReadOptions, limits: PackLimits): Promise<VerifiedPack> {
  const counter = new ByteLimit(limits.maxManifestBytes + TAR_OVERHEAD_FIXED + 4 * 512);
  const extract = tarExtract();
  const piping = pipeline(createReadStream(file), createGunzip(), counter, extract);
  // Errors are taken from the iteration below; this only keeps the rejection handled.
  piping.catch(() => {});

  let manifest: Manifest | undefined;
  let manifestRaw: Buffer | undefined;
  let wanted = new Map<string, ManifestEntry>();
  const seen = new Set<string>();
  const docs: ContentDoc[] = [];
  const media: MediaMeta[] = [];
  let index = 0;
  let done = 0;
  let total = 0;

  try {
    for await (const entry of extract) {
      const header = entry.header;
      const name = checkEntryName(header);
      const size = header.size;
      index += 1;
      if (index > limits.maxEntries) refuse('pack-too-many-entries', `the pack has more than ${limits.maxEntries} entries; split it into smaller packs`);
      if (index === 1) {
        if (name !== MANIFEST_PATH) refuse('pack-unsigned', `the pack does not start with its manifest (found ${name}); build it with "espace content build"`);
        if (size > limits.maxManifestBytes)
          refuse('pack-too-large', `the pack manifest is ${size} bytes, over the limit of ${limits.maxManifestBytes}; split the pack`);
        manifestRaw = await readAll(chunksOf(entry));
        continue;
      }
      if (index === 2) {
        const signature = name === SIGNATURE_PATH && size <= 1024 ? await readAll(chunksOf(entry)) : undefined;
        manifest = verifyManifest(manifestRaw!, signature, trusted);
        wanted = new Map(manifest.entries.map((e) => [e.path, e]));
        if (manifest.entries.length + 2 > limits.maxEntries)
          refuse(
            'pack-too-many-entries',
            `the pack lists ${manifest.entries.length} entries, over the limit of ${limits.maxEntries}; split it into smaller packs`
          );
        total = manifest.entries.reduce((n, e) => n + e.size, 0);
        counter.limit = Math.min(limits.maxTotalBytes, counter.limit + total + (manifest.entries.length + 2) * TAR_OVERHEAD_PER_ENTRY);
        if (total > limits.maxTotalBytes)
          refuse('pack-too-large', `the pack declares ${total} bytes, over the limit of ${limits.maxTotalBytes}; split it into smaller packs`);
        continue;
      }
      const want =
        wanted.get(name) ??
        refuse(
          'pack-unexpected-entry',
          `the pack holds ${name}, which its signed manifest does not list: it was changed after signing; get the original again`
        );
      if (seen.has(name)) refuse('pack-unexpected-entry', `the pack holds ${name} twice; get the original pack again`);
      seen.add(name);
      if (size !== want.size)
        refuse('pack-size-mismatch', `${name} holds ${size} bytes where the signed manifest says ${want.size}; the pack was changed or damaged, get it again`);
      if (MEDIA_PATH.test(name)) {
        await receiveMedia(chunksOf(entry), want, opts.mediaSink);
      } else {
        if (size > limits.maxDocBytes) refuse('pack-too-large', `${name} is ${size} bytes, over the limit of ${limits.maxDocBytes} for one doc`);
        const bytes = await readAll(chunksOf(entry));
        if (bytes.length !== want.size)
          refuse('pack-size-mismatch', `${name} holds ${bytes.length} bytes where the signed manifest says ${want.size}; the pack is damaged, get it again`);
        if (sha256(bytes) !== want.sha256) throw mismatch(want);
        const raw = parseJsonDoc(bytes, name);
        const id = (raw as { _id?: unknown } | null)?._id;
        if (typeof id !== 'string' || docPathOf(id) !== name)
          refuse('pack-bad-doc', `${name} holds a doc whose _id (${JSON.stringify(id)}) does not match its path; rebuild the pack`);
        const where = `${name} (${id})`;
        try {
          if (id.startsWith('media:')) media.push(parseMediaMeta(raw, where));
          else docs.push(parseContentDoc(raw, where));
        } catch (e) {
          if (isAppError(e)) refuse('pack-invalid-doc', e.details);
          throw e;
        }
      }
      done += size;
      opts.onProgress?.({ phase: 'verify', done, total });
    }
    await piping;
  } catch (e) {
    extract.destroy();
    await piping.catch(() => {});
    if (isAppError(e)) throw e;
    if (isNotFound(e)) refuse('pack-not-found', `there is no pack file at ${file}; check the path`);
    refuse('pack-corrupt', `the pack file is damaged or incomplete (${(e as Error).message}); copy it again from its source`);
  }
  if (!manifest) {
    if (index === 0) refuse('pack-corrupt', 'the pack file holds no entries; it is not a pack or is empty, copy it again');
    refuse('pack-unsigned', 'the pack is not signed (no manifest.sig); build it with "espace content build --key …"');
  }
  const missing = manifest.entries.filter((e) => !seen.has(e.path));
  if (missing.length > 0) {
    refuse(
      'pack-missing-entry',
      `the pack lacks ${missing.length} file(s) its manifest lists (first: ${missing[0]!.path}); the file is incomplete, copy it again`
    );
  }
  return { manifest, manifestSha256: sha256(manifestRaw!), docs, media };
}

/** Checks what the docs say against each other: they belong to this pack, and what they refer to is in it. */
function checkConsistency(pack: VerifiedPack): void {
  const { manifest } = pack;
  for (const doc of [...pack.docs, ...pack.media]) {
    if (doc.pack !== manifest.name)
      refuse('pack-bad-doc', `${doc._id} says it belongs to pack ${JSON.stringify(doc.pack)}, not ${manifest.name}; rebuild the pack`);
  }
  const mediaFiles = new Set(manifest.entries.filter((e) => MEDIA_PATH.test(e.path)).map((e) => e.sha256));
  for (const m of pack.media) {
    if (!mediaFiles.has(m.sha256)) refuse('pack-missing-entry', `${m._id} has no file in the pack; rebuild the pack`);
  }
  if (mediaFiles.size !== pack.media.length) refuse('pack-bad-doc', 'the pack holds media files without their metadata doc; rebuild the pack');
  try {
    checkReferences(pack.docs, new Set(pack.media.map((m) => m.sha256)));
  } catch (e) {
    if (isAppError(e)) refuse('pack-broken-reference', e.details);
    throw e;
  }
}

/**
 * Opens a pack file and checks all of it, streaming, trusting nothing: the signature by one
 * of `trustedKeys` over the exact manifest bytes, then every entry's name, size and sha256
 * against the manifest, the decompressed size, and every doc against the shared schema.
 * Refusals are AppErrors with a reason (`pack-untrusted-key`, `pack-hash-mismatch`, …).
 * Media bytes go to `mediaSink` as they are read; the caller keeps them unreferenced until it
 * knows the whole pack is good.
 */
export async function readPack(file: string, trustedKeys: readonly TrustedKey[], options: ReadOptions = {}): Promise<VerifiedPack> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) refuse('pack-not-found', `there is no pack file at ${file}; check the path`);
  const pack = await readEntries(file, trustedKeys, options, limits);
  checkConsistency(pack);
  return pack;
}
