import { AppError } from '../../content/index.js';
import type { IndicatorSources } from './compute.js';

type Doc = Record<string, unknown>;

/** Reads every doc of a database, page by page, from any source that answers like CouchDB's `_all_docs`. */
export type AllDocsReader = (db: string, opts: { startkey?: string; endkey?: string; skipFirst: boolean; limit: number }) => Promise<Doc[]>;

/** Every doc of a database (or those whose id starts with `prefix`), a page at a time. */
export async function readAll(read: AllDocsReader, db: string, prefix?: string): Promise<Doc[]> {
  const out: Doc[] = [];
  const limit = 1000;
  let startkey = prefix;
  let skipFirst = false;
  for (;;) {
    const page = await read(db, { startkey, endkey: prefix ? `${prefix}\ufff0` : undefined, skipFirst, limit });
    for (const d of page) if (typeof d._id === 'string' && !d._id.startsWith('_')) out.push(d);
    if (page.length < limit) return out;
    startkey = String(page[page.length - 1]!._id);
    skipFirst = true;
  }
}

/** Submissions plus where events, consultations and hubs are, through one reader (local PouchDB or central over HTTP). */
export async function loadSources(read: AllDocsReader, hubCommunes: Map<string, string>, withFleet: boolean): Promise<IndicatorSources> {
  const [submissions, events, consultations, fleet] = await Promise.all([
    readAll(read, 'submissions'),
    readAll(read, 'content', 'event:'),
    readAll(read, 'content', 'consultation:'),
    withFleet ? readAll(read, 'fleet') : Promise.resolve([]),
  ]);
  for (const h of fleet) if (typeof h.hubId === 'string' && typeof h.commune === 'string') hubCommunes.set(h.hubId, h.commune);
  // Central's merged submissions also holds each hub's heartbeat (it travels in the hub's database).
  const people = submissions.filter((d) => d.type !== 'heartbeat');
  const communes = (docs: Doc[]) => new Map(docs.filter((d) => typeof d.commune === 'string').map((d) => [String(d._id), String(d.commune)]));
  return { submissions: people, eventCommunes: communes(events), consultationCommunes: communes(consultations), hubCommunes };
}

/** A reader over local PouchDB databases (the hub's own). */
export function pouchReader(dbs: Record<string, PouchDB.Database<Doc>>): AllDocsReader {
  return async (name, { startkey, endkey, skipFirst, limit }) => {
    const db = dbs[name];
    if (!db) return [];
    const res = await db.allDocs({ include_docs: true, limit, skip: skipFirst ? 1 : 0, ...(startkey ? { startkey } : {}), ...(endkey ? { endkey } : {}) });
    return res.rows.map((r) => r.doc as Doc);
  };
}

/** A reader over central's CouchDB HTTP API, with Basic credentials. */
export function couchReader(centralUrl: string, auth: { username: string; password: string }): AllDocsReader {
  const base = centralUrl.endsWith('/') ? centralUrl : `${centralUrl}/`;
  const authorization = 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  return async (db, { startkey, endkey, skipFirst, limit }) => {
    const url = new URL(`${db}/_all_docs`, base);
    url.searchParams.set('include_docs', 'true');
    url.searchParams.set('limit', String(limit));
    if (skipFirst) url.searchParams.set('skip', '1');
    if (startkey) url.searchParams.set('startkey', JSON.stringify(startkey));
    if (endkey) url.searchParams.set('endkey', JSON.stringify(endkey));
    let res: Response;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json', Authorization: authorization } });
    } catch (e) {
      throw new AppError(503, 'central-unreachable', `cannot reach central at ${centralUrl}; check the URL and that central is running`, { cause: e });
    }
    if (res.status === 401 || res.status === 403) {
      throw new AppError(
        res.status,
        'central-credentials-refused',
        `central refused to let "${auth.username}" read ${db}; set ESPACE_CENTRAL_USER and ESPACE_CENTRAL_PASSWORD to an administrator's`
      );
    }
    if (res.status === 404) return [];
    if (!res.ok) throw new AppError(502, 'central-error', `central answered HTTP ${res.status} when reading ${db}`);
    // A deleted doc's row has `doc: null`.
    const body = (await res.json()) as { rows: { doc?: Doc | null }[] };
    return body.rows.map((r) => r.doc).filter((d): d is Doc => d !== undefined && d !== null);
  };
}
