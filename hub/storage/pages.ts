import type { Database } from './databases.js';
import type { Narrow, Stored } from './typed.js';

/**
 * The docs of an id range (ids starting with `prefix`), `size` at a time: 10 000 posts or
 * supports decoded in one allDocs would hold the event loop.
 */
export async function* docsWithPrefix(db: Database, prefix: string, size = 500): AsyncGenerator<Record<string, unknown> & { _id: string }> {
  let startkey = prefix;
  let skip = 0;
  for (;;) {
    const res = await db.allDocs({ include_docs: true, startkey, endkey: `${prefix}\ufff0`, limit: size, skip });
    for (const r of res.rows) if (r.doc) yield r.doc;
    if (res.rows.length < size) return;
    startkey = res.rows[res.rows.length - 1]!.id;
    skip = 1;
  }
}

/** The docs of an id range narrowed (`docsOf(db, \`${hubId}:proposal:\`, asSubmission('proposal'))`), those of another kind left out. */
export async function* docsOf<T>(db: Database, prefix: string, narrow: Narrow<T>, size = 500): AsyncGenerator<Stored<T>> {
  for await (const doc of docsWithPrefix(db, prefix, size)) {
    // Read back from PouchDB: the id and revision are there.
    const typed = narrow(doc) as Stored<T> | null;
    if (typed !== null) yield typed;
  }
}

/**
 * The ids of the docs whose id starts with `prefix`, a page at a time, without reading the docs:
 * for counts whose facts are in the ids (a support's id names its proposal and its member).
 */
export async function* idsWithPrefix(db: Database, prefix: string, size = 5000): AsyncGenerator<string> {
  let startkey = prefix;
  let skip = 0;
  for (;;) {
    const res = await db.allDocs({ startkey, endkey: `${prefix}\ufff0`, limit: size, skip });
    for (const r of res.rows) yield r.id;
    if (res.rows.length < size) return;
    startkey = res.rows[res.rows.length - 1]!.id;
    skip = 1;
  }
}
