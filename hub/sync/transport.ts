import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, createInflate, gzip } from 'node:zlib';
import { notCouch } from './errors.js';
import type { ByteMeter } from './meter.js';

const gzipAsync = promisify(gzip);
/** Request bodies smaller than this go as they are: gzip's header would eat the gain. */
const COMPRESS_FROM = 1024;

/**
 * A response whose unparsable JSON is said as what it is: something that is not CouchDB (a
 * captive page, a proxy's error). PouchDB copies the error's own fields into its own errors and
 * drops its class, so a bare SyntaxError would reach `classify` as a message only.
 */
class CentralResponse extends Response {
  override async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw notCouch(e);
    }
  }
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Transport {
  /** A fetch for PouchDB's http adapter and our own calls: metered, gzip-asking, budget-stopped. */
  fetch: FetchLike;
  /** The `Date` header of the last response from central, as ms. */
  lastServerDate(): number | undefined;
  close(): void;
}

/**
 * fetch over node:http with keep-alive, so that every byte on the socket (headers, chunking,
 * compressed bodies) is counted into the meter — the figure a 3G plan bills. Bodies are asked
 * gzip'd and inflated here. A request that would start past the budget is refused.
 */
export function createTransport(meter: ByteMeter, opts: { timeoutMs: number; userAgent: string }): Transport {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 4 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 4 }) };
  const seen = new WeakMap<Socket, { r: number; w: number }>();
  let serverDate: number | undefined;

  /** Adds what crossed this socket since we last looked. */
  const account = (sock: Socket | null | undefined) => {
    if (!sock) return;
    const last = seen.get(sock) ?? { r: 0, w: 0 };
    const now = { r: sock.bytesRead, w: sock.bytesWritten };
    meter.add(now.r - last.r + (now.w - last.w));
    seen.set(sock, now);
  };

  const fetchImpl: FetchLike = async (input, init = {}) => {
    meter.assertRoom();
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip');
    headers.set('user-agent', opts.userAgent);
    let body: Buffer | undefined;
    if (init.body !== undefined && init.body !== null) {
      body = typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(await new Response(init.body as BodyInit).arrayBuffer());
      // CouchDB (and the stand-in's body parser) inflate gzip'd JSON bodies: pushes cost a fraction of their size.
      if (body.length >= COMPRESS_FROM && /json/.test(headers.get('content-type') ?? '') && !headers.has('content-encoding')) {
        body = await gzipAsync(body);
        headers.set('content-encoding', 'gzip');
      }
      headers.set('content-length', String(body.length));
    }
    const plain: Record<string, string> = {};
    headers.forEach((v, k) => (plain[k] = v));
    const isHttps = url.protocol === 'https:';
    const signal = init.signal ?? undefined;
    // A kept-alive socket the server closed while idle fails the request before any answer
    // (on a 300 ms link its FIN arrives after we reuse it): send once more on a fresh socket.
    const send = (retry: boolean): Promise<Response> =>
      new Promise<Response>((resolve, reject) => {
        const req = (isHttps ? httpsRequest : httpRequest)(url, {
          method: init.method ?? 'GET',
          headers: plain,
          agent: isHttps ? agents.https : agents.http,
          timeout: opts.timeoutMs,
        });
        let sock: Socket | undefined;
        req.on('socket', (s: Socket) => {
          sock = s;
          if (!seen.has(s)) {
            seen.set(s, { r: s.bytesRead, w: s.bytesWritten });
            s.once('close', () => account(s));
          }
        });
        let answered = false;
        const fail = (err: Error) => {
          account(sock);
          const code = (err as { code?: string }).code;
          if (
            retry &&
            req.reusedSocket &&
            !answered &&
            !signal?.aborted &&
            (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|other side closed/i.test(err.message))
          ) {
            resolve(send(false));
            return;
          }
          reject(Object.assign(new TypeError('fetch failed'), { cause: err }));
        };
        req.on('timeout', () => req.destroy(Object.assign(new Error('no answer from central in time'), { code: 'ETIMEDOUT' })));
        req.on('error', fail);
        if (signal) {
          if (signal.aborted) return void req.destroy(new DOMException('aborted', 'AbortError'));
          signal.addEventListener('abort', () => req.destroy(new DOMException('aborted', 'AbortError')), { once: true });
        }
        req.on('response', (res: IncomingMessage) => {
          answered = true;
          account(sock);
          const date = Date.parse(res.headers.date ?? '');
          if (!Number.isNaN(date)) serverDate = date;
          res.on('data', () => account(sock));
          res.on('end', () => account(sock));
          const encoding = res.headers['content-encoding'] ?? '';
          let stream: Readable = res;
          if (encoding === 'gzip') stream = res.pipe(createGunzip());
          else if (encoding === 'deflate') stream = res.pipe(createInflate());
          if (stream !== res) res.on('error', (e) => stream.destroy(e));
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined || k === 'content-encoding' || (k === 'content-length' && stream !== res)) continue;
            for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
          }
          const status = res.statusCode ?? 500;
          const noBody = status === 204 || status === 304 || init.method === 'HEAD';
          if (noBody) res.resume();
          resolve(new CentralResponse(noBody ? null : (Readable.toWeb(stream) as ReadableStream), { status, statusText: res.statusMessage, headers: out }));
        });
        req.end(body);
      });
    return send(true);
  };

  return {
    fetch: fetchImpl,
    lastServerDate: () => serverDate,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
