import type { IncomingMessage, ServerResponse } from 'node:http';
import parseRange from 'range-parser';
import { AppError } from '../../content/index.js';
import { notModified } from './answer.js';
import { writeRefusal, type VisitorErrorPage } from './errors.js';
import type { MediaFiles } from './media-files.js';
import type { MediaFacts } from './media-info.js';
import { MEDIA_FRONT } from './media-front.js';
import { mediaHeaders } from './media.js';

type HeaderList = (string | number)[];

/** The header lists of one file, built once per file and sender: the validators, types and caching. */
interface Lists {
  etag: string;
  /** The 304's headers, and the start of a 206's. */
  base: HeaderList;
  /** The whole file's 200. */
  whole: HeaderList;
  /** Behind the front: the same headers but Accept-Ranges (nginx's own), for X-Accel-Redirect. */
  accel: HeaderList;
}

const BYTES = /^ *bytes=/;
/** One range as nginx parses it the same way (the hub answers any other spelling itself). */
const ONE_RANGE = /^bytes=(\d+-\d*|-\d+)$/;

const badRange = (size: number) =>
  new AppError(416, 'bad-range', `the requested byte range is outside the file (${size} bytes); ask for bytes=0-${Math.max(size - 1, 0)} or less`);
const PRECONDITION = new AppError(412, 'precondition-failed', 'this address holds another file than the one named in If-Match');

export interface MediaSenderOptions {
  /** Headers that go first in every answer (the security headers on the fast path, nothing under Express). */
  fixed?: Readonly<Record<string, string>>;
  files: MediaFiles;
  pathOf: (sha: string) => string;
  /** How an unreadable file is answered (logged, then the JSON envelope or the visitor's page, with `fixed`). */
  onError: (res: ServerResponse, err: unknown) => void;
  /** A browser's visit refused (412, 416) gets this page in the visitor's language rather than the JSON envelope. */
  errorPage?: VisitorErrorPage;
  /**
   * Behind Debian's nginx (config `mediaFront`, the Pi's port 80): the hub decides the answer
   * and nginx sends the bytes from the store with sendfile (media-front.ts).
   */
  front?: boolean;
  /** Counts a file served from its start (a whole file, or a range from byte 0: a play, not a seek). */
  onServe?: () => void;
  /** A file answered through the front: the front may send it itself next time (media-public.ts). */
  publish?: (sha: string, facts: MediaFacts) => void;
}

/**
 * The one function that answers a media file, for the raw fast path and for Express alike:
 * If-None-Match → 304; If-Match that names another file → 412; one byte range (a suffix
 * `bytes=-500`, an open `bytes=100-`) → 206 with Content-Range, unless If-Range names another
 * tag or a date; a range outside the file → 416, the file's size in Content-Range, in the
 * error envelope; several ranges or a malformed Range → the whole file (as Express's `send`
 * did: a client that asks for several ranges can read one whole answer); HEAD without a body.
 * Every answer has Accept-Ranges, the hash as a strong ETag and immutable caching. No
 * Last-Modified: the file's time on this hub's card says nothing the hash does not, and
 * differs between hubs (so an If-Range date never matches and gets the whole file).
 *
 * Each file's header lists are built once: a header object per request (a spread, the file
 * name normalised by three regular expressions) repeated the same work for every range.
 */
export function mediaSender(opts: MediaSenderOptions) {
  const { fixed = {}, files, pathOf, onError, errorPage, front = false, onServe, publish } = opts;
  /** Per file: [inline, download]. Facts are kept per file by MediaInfo, so are these. */
  const made = new WeakMap<MediaFacts, [Lists?, Lists?]>();

  function listsOf(sha: string, facts: MediaFacts, download: boolean): Lists {
    let pair = made.get(facts);
    if (!pair) made.set(facts, (pair = [undefined, undefined]));
    const i = download ? 1 : 0;
    let lists = pair[i];
    if (!lists) {
      // A file's own policy (sandbox, nosniff, same-origin) replaces the page's of the same name.
      const base: HeaderList = Object.entries({ ...fixed, ...mediaHeaders(sha, facts, download) }).flat();
      const accel: HeaderList = [];
      for (let j = 0; j < base.length; j += 2) if (base[j] !== 'Accept-Ranges') accel.push(base[j]!, base[j + 1]!);
      lists = { etag: `"${sha}"`, base, whole: [...base, 'Content-Length', facts.size], accel };
      pair[i] = lists;
    }
    return lists;
  }

  function refuse(req: IncomingMessage, res: ServerResponse, e: AppError, extra?: Record<string, string>): void {
    writeRefusal(req, res, e, errorPage, extra ? { ...fixed, ...extra } : fixed);
  }

  /** `download`: saved under its own name whatever its type (?telecharger). */
  return function sendMedia(req: IncomingMessage, res: ServerResponse, sha: string, facts: MediaFacts, download = false): void {
    const { etag, base, whole, accel } = listsOf(sha, facts, download);
    if (notModified(req, etag)) {
      res.writeHead(304, base).end();
      return;
    }
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch.trim() !== '*' && !ifMatch.split(',').some((t) => t.trim() === etag)) {
      refuse(req, res, PRECONDITION);
      return;
    }
    const size = facts.size;
    let status = 200;
    let start = 0;
    let end = size - 1;
    let list = whole;
    const range = req.headers.range;
    // If-Range is compared strongly: only the file's own tag keeps the range.
    if (range !== undefined && BYTES.test(range)) {
      const ifRange = req.headers['if-range'];
      if (ifRange === undefined || ifRange === etag) {
        const ranges = parseRange(size, range, { combine: true });
        if (ranges === -1) {
          refuse(req, res, badRange(size), { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${size}` });
          return;
        }
        if (ranges !== -2 && ranges.length === 1) {
          start = ranges[0]!.start;
          end = ranges[0]!.end;
          status = 206;
          list = [...base, 'Content-Range', `bytes ${start}-${end}/${size}`, 'Content-Length', end - start + 1];
        }
      }
    }
    if (start === 0 && req.method !== 'HEAD') onServe?.();
    if (req.method === 'HEAD' || size === 0) {
      res.writeHead(status, list).end();
      return;
    }
    if (front) {
      const where = frontLocation(req, status, range);
      if (where) {
        if (!download) publish?.(sha, facts);
        res.writeHead(200, [...accel, 'X-Accel-Redirect', `${where}${sha.slice(0, 2)}/${sha}`, 'Content-Length', 0]).end();
        return;
      }
    }
    files.send(res, pathOf(sha), status, list, start, end, onError);
  };
}

/**
 * Where nginx sends this answer's bytes from, or null when the hub sends them itself: nginx
 * takes the same decision only without If-Match and If-Unmodified-Since (it would compare them
 * with the file's own time), and for a range spelt as it parses it. Only requests that came
 * through the front (its header): the kiosk asks the hub's own port.
 */
function frontLocation(req: IncomingMessage, status: number, range: string | undefined): string | null {
  const h = req.headers;
  if (h[MEDIA_FRONT.header] === undefined || h['if-match'] !== undefined || h['if-unmodified-since'] !== undefined) return null;
  // A range ignored (several, malformed, If-Range naming another file): nginx ignores it too.
  if (status === 200) return range === undefined ? MEDIA_FRONT.ranges : MEDIA_FRONT.whole;
  return ONE_RANGE.test(range!) ? MEDIA_FRONT.ranges : null;
}

export type SendMedia = ReturnType<typeof mediaSender>;
