import { close, createReadStream, open, read } from 'node:fs';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { AppError } from '../../content/index.js';
import { writeError } from './errors.js';

/** Ranges up to this size are read in one go into one buffer and sent with the headers. */
const ONE_READ = 256 * 1024;
/** Reads up to this size use a reused buffer (a phone's player asks 64 KB at a time). */
const POOLED = 64 * 1024;
/** At most this many spare buffers are kept (half a megabyte). */
const SPARES = 8;
/** Longer ranges and whole files stream in large chunks: fewer reads and writes per megabyte on a slow core. */
const CHUNK = 512 * 1024;

export const UNREADABLE = new AppError(500, 'media-unreadable', "this file could not be read from the hub's card; tell the technician");

interface OpenFile {
  fd: Promise<number>;
  users: number;
  evicted: boolean;
}

/**
 * Sends byte ranges of media files with as few system calls as possible: descriptors of
 * recently served files stay open (a file named by its hash never changes), and a small
 * range (a phone seeking in a video) is one positional read sent together with the
 * headers, where a read stream would open, read, close and pipe for every request.
 */
export class MediaFiles {
  private readonly files = new Map<string, OpenFile>();
  /**
   * Buffers whose answer has been handed to the kernel, for the next reads: thousands of
   * ranges a second would otherwise be hundreds of megabytes a second for the GC to sweep.
   */
  private readonly spare: Buffer[] = [];

  /**
   * `onError`: how an unreadable file is answered (the fast path sends the JSON envelope with
   * its security headers and logs it); by default the envelope alone.
   */
  constructor(
    private readonly maxOpen = 32,
    private readonly onError: (res: ServerResponse, err: unknown) => void = (res) => writeError(res, UNREADABLE)
  ) {}

  /**
   * Writes `headers` and the inclusive range [start, end] of the file at `path` to `res`;
   * `onError` (by default the constructor's) answers a file that cannot be read.
   */
  send(
    res: ServerResponse,
    path: string,
    status: number,
    headers: OutgoingHttpHeaders | (string | number)[],
    start: number,
    end: number,
    onError: (res: ServerResponse, err: unknown) => void = this.onError
  ): void {
    const length = end - start + 1;
    if (length > ONE_READ) {
      // Long transfers get a descriptor of their own: destroying a read stream closes its
      // descriptor, which must never happen to a shared one. The headers go once the file is
      // open, so a file that cannot be opened gets its error answer, not a cut transfer.
      const stream = createReadStream(path, { start, end, highWaterMark: CHUNK });
      stream.on('error', (err) => (res.headersSent ? res.destroy() : onError(res, err)));
      stream.once('ready', () => stream.pipe(res.writeHead(status, headers)));
      res.on('close', () => stream.destroy());
      return;
    }
    const file = this.acquire(path);
    // A file that cannot be read (gone, disk error) must not look like a short success.
    const fail = (err: unknown) => onError(res, err);
    file.fd.then(
      (fd) => {
        const pooled = length <= POOLED ? (this.spare.pop() ?? Buffer.allocUnsafeSlow(POOLED)) : undefined;
        const buf = pooled ? pooled.subarray(0, length) : Buffer.allocUnsafe(length);
        read(fd, buf, 0, length, start, (err, n) => {
          this.release(file);
          if (err || n !== length) fail(err ?? new Error(`short read: ${n} of ${length} bytes`));
          else res.writeHead(status, headers).end(buf);
          // Reused only once written out ('finish'); an aborted answer's buffer is left to the GC.
          if (pooled) res.once('finish', () => this.spare.length < SPARES && this.spare.push(pooled));
        });
      },
      (err: unknown) => {
        this.release(file);
        fail(err);
      }
    );
  }

  private acquire(path: string): OpenFile {
    let file = this.files.get(path);
    if (file) {
      // Most recently used last, so the first key is the one to evict.
      this.files.delete(path);
    } else {
      file = {
        fd: new Promise<number>((ok, ko) => open(path, 'r', (err, fd) => (err ? ko(err) : ok(fd)))),
        users: 0,
        evicted: false,
      };
      // A file that failed to open is not kept, so the next request tries again.
      file.fd.catch(() => {
        if (this.files.get(path) === file) this.files.delete(path);
      });
      if (this.files.size >= this.maxOpen) this.evict(this.files.keys().next().value as string);
    }
    this.files.set(path, file);
    file.users += 1;
    return file;
  }

  private release(file: OpenFile): void {
    file.users -= 1;
    if (file.evicted && file.users === 0) closeLater(file);
  }

  private evict(path: string): void {
    const file = this.files.get(path)!;
    this.files.delete(path);
    file.evicted = true;
    if (file.users === 0) closeLater(file);
  }
}

function closeLater(file: OpenFile): void {
  file.fd.then(
    (fd) => close(fd, () => undefined),
    () => undefined
  );
}
