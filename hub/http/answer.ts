import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, crc32, gzipSync } from 'node:zlib';
import { EncodingMemo, type Coding } from './negotiate.js';

/**
 * An answer made once and sent many times, by the raw fast path and by Express alike: its
 * body, its strong ETag, the headers of its 200 (Content-Type, Cache-Control, Vary) and, when
 * it may be compressed, its body in br or gzip (made on first demand, then kept).
 */
export interface Prepared {
  readonly etag: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Absent: always sent as it is (and no Vary: Accept-Encoding). Undefined for a coding whose
   * copy is not made yet (made in the background): sent as it is meanwhile.
   */
  readonly compress?: (coding: Exclude<Coding, 'identity'>) => Buffer | undefined;
}

/**
 * A strong ETag for `body`: its CRC-32 and its length in bytes. Not a digest: node:crypto would
 * load before the first search's answer for it (~25 ms of CPU on Node 24 here, four times that
 * on a Pi's core), and an ETag need only differ when the same URL's body changes, where a
 * CRC-32 and a length both equal by chance is one change in four billion.
 */
export const etagOf = (body: Buffer | string): string => `"${crc32(body).toString(36)}-${Buffer.byteLength(body).toString(36)}"`;

/**
 * `body` in `coding`. `kept`: made once and sent thousands of times (a page, a content list for
 * a generation: brotli 9, gzip 9); otherwise quick levels (brotli 4, gzip 6), for answers many
 * of which are sent only a few times (searches).
 */
export function compressBody(body: Buffer, coding: 'br' | 'gzip', kept = true): Buffer {
  return coding === 'gzip'
    ? gzipSync(body, { level: kept ? 9 : 6 })
    : brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: kept ? 9 : 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
}

/** Compresses `body` once per coding, on first demand. */
export function compressor(body: Buffer, kept = true): (coding: 'br' | 'gzip') => Buffer {
  let br: Buffer | undefined;
  let gzip: Buffer | undefined;
  return (coding) => (coding === 'gzip' ? (gzip ??= compressBody(body, coding, kept)) : (br ??= compressBody(body, coding, kept)));
}

const JSON_HEADERS = { 'Cache-Control': 'no-cache', 'Content-Type': 'application/json; charset=utf-8', Vary: 'Accept-Encoding' };

/** A JSON answer revalidated on every use (no-cache) and compressed when the client accepts it (`kept`: see compressor). */
export function preparedJson(value: unknown, kept = true): Prepared {
  const body = Buffer.from(JSON.stringify(value));
  return { etag: etagOf(body), body, headers: JSON_HEADERS, compress: compressor(body, kept) };
}

/**
 * Whether the client's copy is current (If-None-Match: a tag, a list, weak tags, `*`).
 * Unlike Express's `fresh`, `Cache-Control: no-cache` does not turn a 304 into a 200: fetch()
 * adds it to every request carrying If-None-Match, and the origin's 304 is the revalidation
 * no-cache asks for.
 */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  if (inm === undefined) return false;
  if (inm === etag || inm.trim() === '*') return true;
  for (const tag of inm.split(',')) {
    const t = tag.trim();
    if (t === etag || t === `W/${etag}`) return true;
  }
  return false;
}

type HeaderList = (string | number)[];
interface Lists {
  notModified?: HeaderList;
  br?: HeaderList;
  gzip?: HeaderList;
  identity?: HeaderList;
}

/**
 * The one function that sends a prepared answer, for both paths: 304 when the client's copy is
 * current, HEAD without a body, the coding negotiated from Accept-Encoding (memoised per header
 * spelling), Content-Length and Content-Encoding. `fixed` goes first in every answer (the
 * security headers on the fast path, where no middleware set them; nothing under Express).
 * Each answer's header lists are built once per coding: a header object per request was a
 * tenth of the hub's time on a cached page.
 */
export function answerSender(fixed: Readonly<Record<string, string>> = {}, codings = new EncodingMemo()) {
  const base = Object.entries(fixed).flat();
  const lists = new WeakMap<Prepared, Lists>();

  function listOf(p: Prepared, kind: keyof Lists, body?: Buffer): HeaderList {
    let made = lists.get(p);
    if (!made) lists.set(p, (made = {}));
    let list = made[kind];
    if (!list) {
      list = [...base, 'ETag', p.etag];
      for (const [k, v] of Object.entries(p.headers)) if (kind !== 'notModified' || k !== 'Content-Type') list.push(k, v);
      if (body) list.push('Content-Length', body.length);
      if (kind === 'br' || kind === 'gzip') list.push('Content-Encoding', kind);
      made[kind] = list;
    }
    return list;
  }

  /** `extra`: per-request headers (a cookie), as a flat list. */
  return function sendPrepared(req: IncomingMessage, res: ServerResponse, p: Prepared, extra?: HeaderList): void {
    if (notModified(req, p.etag)) {
      const list = listOf(p, 'notModified');
      res.writeHead(304, extra ? [...list, ...extra] : list).end();
      return;
    }
    const chosen = p.compress ? codings.choose(req.headers['accept-encoding'], p.body.length) : 'identity';
    const copy = chosen === 'identity' ? undefined : p.compress!(chosen);
    const [coding, body] = copy ? [chosen, copy] : (['identity', p.body] as const);
    const list = listOf(p, coding, body);
    res.writeHead(200, extra ? [...list, ...extra] : list);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

export type SendPrepared = ReturnType<typeof answerSender>;
