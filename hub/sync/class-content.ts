import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { pouchConstructor, type Database } from '../storage/index.js';
import { BATCHES_AHEAD, type ClassWork } from './context.js';
import { dropNarrowed } from './narrowed.js';

/** What is addressed to this hub: everyone, its region, its commune, or itself. */
export function audienceClauses(config: Config): PouchDB.Find.Selector[] {
  const { hubId, commune, region } = config;
  return [
    { 'audience.all': true },
    { 'audience.regions': { $elemMatch: { $eq: region } } },
    { 'audience.communes': { $elemMatch: { $eq: commune } } },
    { 'audience.hubs': { $elemMatch: { $eq: hubId } } },
  ] as PouchDB.Find.Selector[];
}

/** The Mango selector of the pull: what is addressed to this hub, and deletions (bare tombstones carry no audience). */
export function audienceSelector(config: Config): PouchDB.Find.Selector {
  return { $or: [...audienceClauses(config), { _deleted: true }] };
}

/** Pulls content for this hub; where a pack copy and central's disagree, central's winner stays. */
export const pullContent: ClassWork = async (ctx, central, transport) => {
  const PouchDB = pouchConstructor();
  const local = ctx.dbs.content;
  const remote = central.database('content', transport);
  const before = (await local.info()).update_seq;
  const res = await PouchDB.replicate(remote, local, {
    selector: audienceSelector(ctx.config),
    batch_size: ctx.settings.batchSize,
    batches_limit: BATCHES_AHEAD,
  });
  await resolveConflicts(local, remote, before, ctx.log);
  // A doc whose audience no longer names this hub never comes with the pull: remove the copy here.
  const narrowed = await dropNarrowed({ remote, local, audienceClauses: audienceClauses(ctx.config), since: ctx.state.contentNarrowSince ?? 0, log: ctx.log });
  ctx.state.contentNarrowSince = narrowed.since;
  ctx.state.classes.content.pending = { items: 0 };
  return res.docs_written + narrowed.removed.length;
};

async function resolveConflicts(local: Database, remote: Database, since: number | string, log: Logger): Promise<void> {
  const changes = await local.changes({ since, include_docs: true, conflicts: true });
  for (const row of changes.results) {
    const conflicts = row.doc?._conflicts;
    if (!conflicts?.length) continue;
    const winner = await remote.get(row.id).then(
      (d) => d._rev,
      () => null
    );
    if (!winner) continue;
    for (const rev of [row.doc!._rev, ...conflicts]) if (rev !== winner) await local.remove(row.id, rev);
    log.info({ id: row.id, kept: winner }, 'content conflict resolved in favour of central');
  }
}
