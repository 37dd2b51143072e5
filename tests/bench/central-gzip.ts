import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { DEMO_PACK_FILE, demoTrustedKey } from '../../content/index.js';
import { projectRoot } from '../../hub/index.js';
import { publishPack } from '../../provisioning/central/index.js';
import { startTestCentral } from '../support/central.js';
import { startCentralNginx } from '../support/central-nginx.js';
import { round } from './load.js';
import type { Report } from './report.js';

interface Wire {
  status: number;
  /** Body bytes as they crossed the wire (compressed when the answer was). */
  bytes: number;
  encoding: string;
  json: unknown;
}

type Send = (method: string, path: string, body?: unknown) => Promise<Wire>;

function collect(res: IncomingMessage, resolve: (w: Wire) => void, reject: (e: Error) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('error', reject);
  res.on('end', () => {
    const raw = Buffer.concat(chunks);
    const encoding = res.headers['content-encoding'] ?? 'identity';
    void import('node:zlib').then(({ gunzipSync }) => {
      const text = encoding === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      resolve({ status: res.statusCode ?? 0, bytes: raw.length, encoding, json: JSON.parse(text) });
    }, reject);
  });
}

/** A content pull as PouchDB's replicator makes it: the filtered changes, then the docs by `_bulk_get` in batches. */
async function pull(send: Send, selector: object, batch: number): Promise<{ bytes: number; docs: number; gzipped: number; answers: number }> {
  let since: unknown = 0;
  let bytes = 0;
  let docs = 0;
  let gzipped = 0;
  let answers = 0;
  const count = (w: Wire) => {
    if (w.status !== 200) throw new Error(`central answered ${w.status}`);
    bytes += w.bytes;
    answers += 1;
    if (w.encoding === 'gzip') gzipped += 1;
  };
  for (;;) {
    const changes = await send('POST', `/content/_changes?filter=_selector&style=all_docs&limit=${batch}&since=${encodeURIComponent(String(since))}`, {
      selector,
    });
    count(changes);
    const body = changes.json as { results: { id: string; changes: { rev: string }[] }[]; last_seq: unknown };
    if (!body.results.length) break;
    const got = await send('POST', '/content/_bulk_get?revs=true&latest=true', { docs: body.results.map((r) => ({ id: r.id, rev: r.changes[0]!.rev })) });
    count(got);
    docs += body.results.length;
    since = body.last_seq;
  }
  return { bytes, docs, gzipped, answers };
}

/**
 * Issue 13: real CouchDB does not compress its answers, so a hub's content pull costs its full
 * JSON. The same pull of the demo pack's content, answered raw by central and through the nginx
 * proxy `espace central render` writes (gzip for JSON), over TLS: bytes on the wire.
 */
export async function benchCentralGzip(report: Report): Promise<void> {
  const section = 'central';
  const central = await startTestCentral();
  try {
    await publishPack(join(projectRoot(), DEMO_PACK_FILE), central.url, central.editor, [demoTrustedKey(projectRoot())]);
    const e = await central.enroll('octets-01');
    const authorization = 'Basic ' + Buffer.from(`${e.username}:${e.password}`).toString('base64');
    const selector = {
      $or: [
        { 'audience.all': true },
        { 'audience.regions': { $elemMatch: { $eq: 'kayes' } } },
        { 'audience.communes': { $elemMatch: { $eq: 'kayes' } } },
        { 'audience.hubs': { $elemMatch: { $eq: 'octets-01' } } },
        { _deleted: true },
      ],
    };
    const headers = (body: string | undefined) => ({
      authorization,
      'accept-encoding': 'gzip',
      ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
    });
    const direct: Send = (method, path, body) =>
      new Promise((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const req = httpRequest({ host: '127.0.0.1', port: central.port, path, method, headers: headers(text), agent: false }, (res) =>
          collect(res, resolve, reject)
        );
        req.on('error', reject);
        req.end(text);
      });
    const proxy = await startCentralNginx(central);
    try {
      const viaNginx: Send = (method, path, body) =>
        new Promise((resolve, reject) => {
          const text = body === undefined ? undefined : JSON.stringify(body);
          const req = httpsRequest(
            { host: '127.0.0.1', servername: 'localhost', port: proxy.port, path, method, ca: proxy.caPem, headers: headers(text), agent: false },
            (res) => collect(res, resolve, reject)
          );
          req.on('error', reject);
          req.end(text);
        });
      const raw = await pull(direct, selector, 50);
      const zipped = await pull(viaNginx, selector, 50);
      if (zipped.docs !== raw.docs) throw new Error(`the two pulls saw ${raw.docs} and ${zipped.docs} docs`);
      report.add({
        section,
        metric: `a hub's first content pull of the demo pack (${raw.docs} docs, ${zipped.gzipped}/${zipped.answers} answers gzip'd) through nginx`,
        value: round(zipped.bytes / 1000, 1),
        unit: 'KB on the wire',
        baseline: `${round(raw.bytes / 1000, 1)} KB raw from CouchDB`,
        ratio: round(zipped.bytes / raw.bytes, 2),
      });
    } finally {
      await proxy.stop();
    }
  } finally {
    await central.stop();
  }
}
