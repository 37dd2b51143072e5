import type { Database } from '../storage/index.js';
import { fromCentralStatus } from './errors.js';
import type { FetchLike } from './transport.js';

interface BulkGetOptions {
  docs: { id: string; rev?: string }[];
  revs?: boolean;
  latest?: boolean;
}

/**
 * Makes a remote's bulkGet always use central's `_bulk_get`. PouchDB's http adapter, after a
 * single failed `_bulk_get` (a cut, a timeout), decides for the rest of the process that the
 * server lacks it and fetches every document with its own GET: at 256 kbit/s that measured 7×
 * the bytes and 13× the time for 2 000 docs. Central is CouchDB ≥ 3, which has `_bulk_get`, so a
 * failure is the link's, and the sync retries it as such. `authorization` is the engine's own header.
 */
export function withBulkGet(remote: Database, dbUrl: string, fetch: FetchLike, authorization: string): Database {
  const bulkGet = async (opts: BulkGetOptions): Promise<unknown> => {
    const params = new URLSearchParams();
    if (opts.revs) params.set('revs', 'true');
    if (opts.latest) params.set('latest', 'true');
    const res = await fetch(`${dbUrl}/_bulk_get${params.size ? `?${params}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
      body: JSON.stringify({ docs: opts.docs }),
    });
    const body = (await res.json().catch(() => ({}))) as { error?: string; reason?: string };
    if (!res.ok) throw fromCentralStatus(res.status, body.reason ?? body.error);
    return body;
  };
  Object.assign(remote, { bulkGet });
  return remote;
}
