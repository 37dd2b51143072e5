import { hubCentralDb } from '../../content/index.js';
import { freshenHeartbeat } from '../fleet/index.js';
import { pouchConstructor } from '../storage/index.js';
import { unconfirmedSubmissionIds } from './confirm.js';
import { BATCHES_AHEAD, type ClassWork } from './context.js';
import { refusedByCentral } from './errors.js';

/** Push submissions then the heartbeat; `pushedSeq` advances as central acknowledges each batch. */
export const pushSubmissions: ClassWork = async (ctx, central, transport) => {
  const PouchDB = pouchConstructor();
  const { dbs, config, state } = ctx;
  await freshenHeartbeat({ config, dbs, version: ctx.version, at: ctx.iso(), lastSync: state.classes.push.lastSuccess }).catch((err: unknown) =>
    ctx.log.warn({ err: String(err) }, 'could not freshen the heartbeat before the push')
  );
  const denied: string[] = [];
  // Into this hub's own database at central (only it and central's replicator read it).
  const own = hubCentralDb(config.hubId);
  const rep = PouchDB.replicate(dbs.submissions, central.database(own, transport), { batch_size: ctx.settings.batchSize, batches_limit: BATCHES_AHEAD });
  void rep.on('change', (info) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- typed number, but a seq is whatever the source database gives
    const seq = Number(info.last_seq);
    if (Number.isFinite(seq) && seq > state.pushedSeq) state.pushedSeq = seq;
  });
  let why = '';
  void rep.on('denied', (err: unknown) => {
    const e = err as { id?: string; reason?: string; message?: string };
    denied.push(e.id ?? '?');
    why ||= e.reason ?? e.message ?? '';
  });
  // The heartbeat goes alongside: its round trips overlap the submissions' instead of adding to them.
  const [res] = await Promise.all([rep, PouchDB.replicate(dbs.fleet, central.database(own, transport), { batch_size: 10 })]);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- as above
  const seq = Number(res.last_seq);
  if (Number.isFinite(seq) && seq > state.pushedSeq) state.pushedSeq = seq;
  state.denied = [...new Set([...state.denied, ...denied])];
  state.classes.push.pending = { items: (await unconfirmedSubmissionIds(dbs.submissions)).length };
  if (denied.length) throw refusedByCentral(denied, why);
  return res.docs_written;
};
