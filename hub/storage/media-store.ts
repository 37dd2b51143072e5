import { createReadStream, createWriteStream, mkdirSync, promises as fsp, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, isNotFound } from '../../content/boot.js';

const SHA = /^[0-9a-f]{64}$/;

/**
 * Media bytes stored once each, named by their sha256, under `<dataDir>/media/ab/abcdef…`.
 * Files are written to a temporary name, fsync'd, checked against their hash, then renamed,
 * so a file under its final name is always whole and correct.
 */
export class MediaStore {
  readonly dir: string;
  private readonly tmpDir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'media');
    this.tmpDir = join(this.dir, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!SHA.test(sha256)) throw new AppError(400, 'bad-media-id', 'a media id is a sha256: 64 lowercase hex characters');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<{ size: number; mtimeMs: number } | null> {
    try {
      const s = await fsp.stat(this.pathOf(sha256));
      return { size: s.size, mtimeMs: s.mtimeMs };
    } catch (e) {
      // Only a missing file is "not on the hub yet"; a disk error is surfaced.
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** Stores a stream, refusing it (and keeping nothing) when its hash is not `expected`. */
  async put(source: Readable | Uint8Array, expected: string): Promise<{ size: number }> {
    // Loaded at the first write, not with the module: the store is made before the first search, and node:crypto costs ~25 ms of CPU on Node 24.
    const { createHash, randomBytes } = await import('node:crypto');
    const final = this.pathOf(expected);
    if (await this.has(expected)) return { size: (await this.stat(expected))!.size };
    const tmp = join(this.tmpDir, `${expected}.${randomBytes(4).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      if (source instanceof Uint8Array) {
        hash.update(source);
        size = source.length;
        await new Promise<void>((res, rej) => out.end(source, (err?: Error | null) => (err ? rej(err) : res())));
      } else {
        source.on('data', (chunk: Uint8Array) => {
          hash.update(chunk);
          size += chunk.length;
        });
        await pipeline(source, out);
      }
      const actual = hash.digest('hex');
      if (actual !== expected) {
        throw new AppError(
          422,
          'media-hash-mismatch',
          `media file does not match its sha256 (expected ${expected}, got ${actual}); the file is damaged, fetch or copy it again`
        );
      }
      await fsyncFile(tmp);
      await fsp.mkdir(join(this.dir, expected.slice(0, 2)), { recursive: true });
      await fsp.rename(tmp, final);
      return { size };
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
  }

  /** A stream of the whole file or of the inclusive byte range [start, end]. */
  read(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(sha256), range ? { start: range.start, end: range.end } : undefined);
  }

  async remove(sha256: string): Promise<void> {
    await fsp.rm(this.pathOf(sha256), { force: true });
  }

  /** Drops temporary files left by a write that a power cut interrupted. */
  async cleanTemporary(): Promise<number> {
    const names = await fsp.readdir(this.tmpDir);
    await Promise.all(names.map((n) => fsp.rm(join(this.tmpDir, n), { force: true })));
    return names.length;
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await fsp.open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
