import { AppError } from '../../../content/index.js';
import { readAll, type AllDocsReader } from '../../../hub/index.js';
import type { CentralAs } from './page-table.js';

type Doc = Record<string, unknown>;

/** `_all_docs` pages read as the signed-in person: CouchDB decides whether they may. */
export function readerAs(central: CentralAs): AllDocsReader {
  return async (db, { startkey, endkey, skipFirst, limit }) => {
    const q = new URLSearchParams({ include_docs: 'true', limit: String(limit) });
    if (skipFirst) q.set('skip', '1');
    if (startkey) q.set('startkey', JSON.stringify(startkey));
    if (endkey) q.set('endkey', JSON.stringify(endkey));
    const res = await central<{ rows: { doc?: Doc }[] }>(`${db}/_all_docs?${q.toString()}`);
    if (res.status !== 200)
      throw new AppError(502, 'central-unreadable', `Central n’a pas donné « ${db} » (HTTP ${res.status}) : réessayez, ou voyez l’état de CouchDB.`);
    return res.body.rows.flatMap((r) => (r.doc ? [r.doc] : []));
  };
}

/** Every doc of a database (or those whose id starts with `prefix`), as the signed-in person. */
export function readAllAs(central: CentralAs, db: string, prefix?: string): Promise<Doc[]> {
  return readAll(readerAs(central), db, prefix);
}
