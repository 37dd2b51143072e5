import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/*
 * What CouchDB 3 does that express-pouchdb (PouchDB 7) does not, so a regression that only
 * real CouchDB would show shows in tests too (see DESIGN.md, "Real Apache CouchDB 3.5 differs"):
 * opaque string sequences, per-node configuration, attachments of compressible types stored
 * compressed (Range ignored), `_purge`, `_security` refused with a 500 to non-admins.
 */

/** CouchDB 3's default `[attachments] compressible_types`. */
export const DEFAULT_COMPRESSIBLE = 'text/*, application/javascript, application/json, application/xml';

/** A CouchDB 3 looking sequence: "<n>-g1AAAA…", which clients must treat as opaque. */
export function opaqueSeq(n: number): string {
  return `${n}-g1AAAA${Buffer.from(`espace-standin-${n}`).toString('base64url')}`;
}

/** The number PouchDB 7 understands behind an opaque seq (or a plain number a client kept from before). */
export function seqNumber(seq: unknown): number | 'now' | undefined {
  if (seq === undefined || seq === null || seq === '') return undefined;
  if (seq === 'now') return 'now';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a seq of any other shape is refused just below
  const m = /^(\d+)(?:-|$)/.exec(String(seq));
  if (!m)
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- quoted as CouchDB quotes it
    throw Object.assign(new Error(`malformed sequence supplied in 'since' parameter: ${String(seq)}`), { status: 400, name: 'bad_request' });
  return Number(m[1]);
}

/** Whether CouchDB 3 would store an attachment of this type compressed (couch_att's rule). */
export function compressible(mime: string, types: string): boolean {
  return types
    .split(/\s*,\s*/)
    .filter(Boolean)
    .some((t) =>
      new RegExp(
        `^\\s*${t
          .trim()
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}(?:\\s*;.*?)?\\s*$`,
        'i'
      ).test(mime)
    );
}

/** The node's configuration (`/_node/_local/_config`), kept in a file beside the databases. */
export class NodeConfig {
  private readonly file: string;
  private values: Record<string, Record<string, string>>;

  constructor(dir: string) {
    this.file = join(dir, 'couchdb-config.json');
    this.values = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Record<string, string>>)
      : { attachments: { compressible_types: DEFAULT_COMPRESSIBLE } };
  }

  get(section: string, key: string): string | undefined {
    return this.values[section]?.[key];
  }

  section(section: string): Record<string, string> | undefined {
    return this.values[section];
  }

  set(section: string, key: string, value: string | undefined): string | undefined {
    const old = this.get(section, key);
    const s = (this.values[section] ??= {});
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a config section is a plain object keyed by name, as CouchDB's
    if (value === undefined) delete s[key];
    else s[key] = value;
    writeFileSync(this.file + '.tmp', JSON.stringify(this.values, null, 2));
    renameSync(this.file + '.tmp', this.file);
    return old;
  }
}

/**
 * Rewrites a JSON answer before it leaves (express-pouchdb writes it in one go): used to turn
 * PouchDB 7's numbers into opaque sequences. Streams (continuous feeds) are left alone.
 */
export function rewriteJsonAnswer(res: ServerResponse, transform: (body: Record<string, unknown>) => void): void {
  const chunks: Buffer[] = [];
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  // Headers are held back too: the body's length changes.
  let head: unknown[] | undefined;
  res.writeHead = (...args: unknown[]) => {
    head = args;
    return res;
  };
  res.write = ((chunk: unknown, enc?: unknown) => {
    if (chunk)
      chunks.push(
        typeof chunk === 'string' ? Buffer.from(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array)
      );
    return true;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, enc?: unknown) => {
    if (chunk && typeof chunk !== 'function')
      chunks.push(
        typeof chunk === 'string' ? Buffer.from(chunk, typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array)
      );
    let body = Buffer.concat(chunks);
    const status = typeof head?.[0] === 'number' ? head[0] : res.statusCode;
    // express-pouchdb answers text/plain to clients that do not ask for JSON, as CouchDB does.
    if (status === 200) {
      try {
        const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        transform(json);
        body = Buffer.from(JSON.stringify(json) + '\n');
      } catch {
        // not JSON after all: sent as it came
      }
    }
    if (head) {
      const headers = head.find((a, i) => i > 0 && a && typeof a === 'object') as Record<string, unknown> | undefined;
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the caller's own headers object, changed in place
      if (headers) for (const k of Object.keys(headers)) if (/^(content-length|etag)$/i.test(k)) delete headers[k];
    }
    res.removeHeader('ETag');
    res.setHeader('Content-Length', body.length);
    if (head) writeHead(...head);
    return end(body);
  }) as ServerResponse['end'];
}

/** Opaque seqs in a `_changes` answer or a database's info. */
export function opaqueSeqs(body: Record<string, unknown>): void {
  for (const k of ['last_seq', 'update_seq', 'purge_seq'] as const) if (typeof body[k] === 'number') body[k] = opaqueSeq(body[k]);
  if (Array.isArray(body.results)) for (const r of body.results as { seq?: unknown }[]) if (typeof r.seq === 'number') r.seq = opaqueSeq(r.seq);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body) + '\n');
}

export function readBody(req: IncomingMessage, gunzip: (b: Buffer) => Buffer): Promise<string> {
  // express-pouchdb parses bodies per route; this layer sees the raw stream.
  return new Promise((ok, ko) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      ok((req.headers['content-encoding'] === 'gzip' ? gunzip(raw) : raw).toString('utf8'));
    });
    req.on('error', ko);
  });
}
