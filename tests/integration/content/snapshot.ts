import type { Databases } from '../../../hub/storage/index.js';

/** Every doc with its revision, in both databases, plus the pack records: "exactly as before" means equal snapshots. */
export async function snapshot(dbs: Databases): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const name of ['content', 'media'] as const) {
    out[name] = (await dbs[name].allDocs({ include_docs: true })).rows.map((r) => r.doc);
    for (const local of ['_local/packs', '_local/pack-import']) {
      out[`${name}${local}`] = await dbs[name].get(local).catch(() => null);
    }
  }
  return out;
}
