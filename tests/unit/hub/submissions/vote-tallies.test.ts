import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { submissionId, type Consultation } from '../../../../content/index.js';
import { Catalog } from '../../../../hub/catalog/index.js';
import { tallyConsultation } from '../../../../hub/indicators/index.js';
import { silentLogger } from '../../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Database, type Databases } from '../../../../hub/storage/index.js';
import { SubmissionService, type ConsultationResults } from '../../../../hub/submissions/index.js';
import type { TallySaving } from '../../../../hub/submissions/vote-tallies.js';
import { tempDir } from '../../../support/hub.js';

const HUBS = ['kayes-demo', 'nioro-01'] as const;
const consultation = (slug: string, options: string[]): Consultation =>
  ({
    _id: `consultation:${slug}`,
    type: 'consultation',
    question: { fr: slug },
    options: options.map((id) => ({ id, label: { fr: id } })),
    opensAt: '2026-01-01T00:00:00Z',
    closesAt: '2027-01-01T00:00:00Z',
    resultsPublic: true,
  }) as unknown as Consultation;
const C1 = consultation('eau', ['puits', 'forage', 'citerne']);
const C2 = consultation('ecole', ['classes', 'cantine']);

type Doc = Record<string, unknown> & { _id: string; _rev?: string };

/** The full recount both figures were computed by before running tallies: every vote of the hub, read. */
async function recount(db: Database, c: Consultation, hubId: string): Promise<{ tally: ReturnType<typeof tallyConsultation>; results: ConsultationResults }> {
  const prefix = `${hubId}:response:`;
  const res = await db.allDocs({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
  const votes = res.rows.map((r) => r.doc as unknown as Doc);
  const options: ConsultationResults['options'] = {};
  for (const o of c.options) options[o.id] = { total: 0, bySex: { F: 0, M: 0, unknown: 0 }, byAge: {} };
  let total = 0;
  const byChannel: Record<string, number> = { web: 0, kiosk: 0, sms: 0, paper: 0 };
  for (const v of votes) {
    if (v.consultation !== c._id) continue;
    const slot = options[String(v.option)];
    if (!slot) continue;
    total += 1;
    byChannel[(v.channel as string | undefined) ?? 'web']! += 1;
    slot.total += 1;
    slot.bySex[(v.sex as 'F' | 'M' | undefined) ?? 'unknown'] += 1;
    const band = (v.ageBand as string | undefined) ?? 'unknown';
    slot.byAge[band] = (slot.byAge[band] ?? 0) + 1;
  }
  return {
    tally: tallyConsultation(
      c._id,
      c.options.map((o) => o.id),
      votes
    ),
    results: { consultation: c._id, total, options, byChannel },
  };
}

async function assertExact(service: SubmissionService, db: Database, step: string): Promise<void> {
  for (const hubId of HUBS) {
    for (const c of [C1, C2]) {
      const expected = await recount(db, c, hubId);
      assert.deepEqual(await service.tally(c, hubId), expected.tally, `console tally of ${c._id} on ${hubId} after ${step}`);
      assert.deepEqual(await service.results(c, hubId), expected.results, `results of ${c._id} on ${hubId} after ${step}`);
    }
  }
}

/** A hub's submissions db with a service on it, reopened as after a stop or a power cut. */
class Hub {
  dbs!: Databases;
  service!: SubmissionService;
  readonly dir = tempDir('espace-tallies-');
  constructor(private readonly saving: TallySaving) {}
  async open(): Promise<this> {
    this.dbs = await openDatabases(this.dir.path, silentLogger());
    this.service = new SubmissionService(this.dbs.submissions, new Catalog(this.dbs.content, silentLogger()), silentLogger(), this.saving);
    return this;
  }
  get db(): Database {
    return this.dbs.submissions;
  }
  /** A clean stop saves the tallies; a power cut leaves whatever was saved last. */
  async restart(clean: boolean): Promise<void> {
    if (clean) await this.service.close();
    await closeDatabases(this.dbs);
    await this.open();
  }
  async remove(): Promise<void> {
    await closeDatabases(this.dbs);
    this.dir.remove();
  }
}

/** Mostly votes that count, some for another consultation or an option no longer offered. */
const vote = fc.constantFrom(C1, C2, consultation('ailleurs', ['oui', 'non'])).chain((c) =>
  fc.record({
    hub: fc.constantFrom(...HUBS),
    consultation: fc.constant(c._id),
    option: fc.constantFrom(...c.options.map((o) => o.id), 'retiree'),
    sex: fc.constantFrom('F', 'M', undefined),
    ageBand: fc.constantFrom('15-24', '25-35', '36-59', '60+', undefined),
    commune: fc.constantFrom('kayes', 'nioro', undefined),
    channel: fc.constantFrom('web', 'kiosk', 'sms', 'paper', undefined),
  })
);
const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('add' as const), vote }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('other' as const), hub: fc.constantFrom(...HUBS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('edit' as const), pick: fc.nat(), vote }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('check' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), clean: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('compact' as const) }) }
);

function voteDoc(v: { hub: string; consultation: string; option: string; sex?: string; ageBand?: string; commune?: string; channel?: string }): Doc {
  const d: Doc = {
    _id: submissionId(v.hub, 'response'),
    type: 'response',
    hubId: v.hub,
    createdAt: new Date().toISOString(),
    consultation: v.consultation,
    option: v.option,
    deviceId: `device-${Math.random().toString(36).slice(2, 10)}`,
  };
  for (const k of ['sex', 'ageBand', 'commune', 'channel'] as const) if (v[k] !== undefined) d[k] = v[k];
  return d;
}

describe('vote tallies', () => {
  it('always equal a full recount, through random votes, edits, erasures, compactions, stops and power cuts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.constantFrom<TallySaving>({ everyMs: 0, afterChanges: 1 }, {}, { everyMs: 0, afterChanges: 1, recountAfter: 0 }),
        async (steps, saving) => {
          const hub = await new Hub(saving).open();
          const live: Doc[] = [];
          try {
            for (const s of steps) {
              switch (s.op) {
                case 'add': {
                  const d = voteDoc(s.vote);
                  d._rev = (await hub.db.put(d)).rev;
                  live.push(d);
                  break;
                }
                case 'other':
                  await hub.db.put({
                    _id: submissionId(s.hub, 'registration'),
                    type: 'registration',
                    hubId: s.hub,
                    fullName: 'Awa Sissoko',
                    sex: 'F',
                    ageBand: '25-35',
                    commune: 'kayes',
                    consent: true,
                  });
                  break;
                case 'delete': {
                  if (live.length === 0) break;
                  const [d] = live.splice(s.pick % live.length, 1);
                  await hub.db.remove(d!._id, d!._rev!);
                  break;
                }
                case 'edit': {
                  if (live.length === 0) break;
                  const d = live[s.pick % live.length]!;
                  const { _id, _rev } = d;
                  const next = { ...voteDoc({ ...s.vote, hub: _id.split(':')[0]! }), _id, _rev };
                  Object.assign(d, next, { _rev: (await hub.db.put(next)).rev });
                  break;
                }
                case 'check':
                  await assertExact(hub.service, hub.db, 'a check');
                  break;
                case 'restart':
                  await hub.restart(s.clean);
                  break;
                case 'compact':
                  await hub.db.compact();
                  break;
              }
            }
            await assertExact(hub.service, hub.db, `${steps.length} steps`);
            await hub.restart(true);
            await assertExact(hub.service, hub.db, 'a last restart');
          } finally {
            await hub.remove();
          }
        }
      ),
      { numRuns: 40 }
    );
  });

  it('count the same vote on two hubs in each hub’s figures, before and after a restart', async () => {
    const hub = await new Hub({ everyMs: 0, afterChanges: 1 }).open();
    try {
      const same = { consultation: C2._id, option: 'cantine', sex: 'M', ageBand: '15-24', commune: 'kayes' };
      await hub.db.put(voteDoc({ hub: 'kayes-demo', ...same }));
      await assertExact(hub.service, hub.db, 'a vote on one hub');
      await hub.db.put(voteDoc({ hub: 'nioro-01', ...same }));
      await hub.db.put(voteDoc({ hub: 'nioro-01', ...same }));
      await assertExact(hub.service, hub.db, 'the same vote on another hub');
      await hub.restart(true);
      await assertExact(hub.service, hub.db, 'a restart');
      assert.equal((await hub.service.results(C2, 'nioro-01')).total, 2);
    } finally {
      await hub.remove();
    }
  });

  it('are saved in chunks at a clean stop, and read back without recounting', async () => {
    const hub = await new Hub({}).open();
    try {
      for (let i = 0; i < 9000; i += 1000) {
        await hub.db.bulkDocs(
          Array.from({ length: 1000 }, (_, k) =>
            voteDoc({
              hub: 'kayes-demo',
              consultation: C1._id,
              option: C1.options[(i + k) % 3]!.id,
              sex: k % 2 ? 'F' : 'M',
              ageBand: '15-24',
              commune: k % 5 ? 'kayes' : undefined,
            })
          )
        );
      }
      await assertExact(hub.service, hub.db, '9000 votes');
      await hub.restart(true);
      const header = (await hub.db.get('_local/vote-tallies')) as unknown as { seq: number; versions: number[] };
      assert.equal(header.seq, (await hub.db.info()).update_seq, 'the saved tallies cover every write');
      assert.equal(header.versions.length, 3, '9000 ids in chunks of 4096');
      // Erasures in the oldest chunk, after compaction dropped the erased votes' bodies.
      const first = await hub.db.allDocs({ startkey: 'kayes-demo:response:', endkey: 'kayes-demo:response:\ufff0', limit: 50 });
      await hub.db.bulkDocs(first.rows.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true })));
      await hub.db.compact();
      await assertExact(hub.service, hub.db, 'erasures in the first chunk');
      await hub.restart(true);
      await assertExact(hub.service, hub.db, 'a restart after the erasures');
    } finally {
      await hub.remove();
    }
  });

  it('count the votes again, reading no registration, when far behind the feed', async () => {
    const hub = await new Hub({}).open();
    try {
      const votes = (n: number) =>
        Array.from({ length: n }, (_, k) => voteDoc({ hub: 'kayes-demo', consultation: C1._id, option: C1.options[k % 3]!.id, sex: 'F' }));
      await hub.db.bulkDocs(votes(30));
      await assertExact(hub.service, hub.db, '30 votes');
      await hub.restart(true);
      // A burst of registrations on two hubs, a design doc among them, and a few votes, since the tallies were saved.
      const registrations = (hubId: string) =>
        Array.from({ length: 1500 }, () => ({ _id: submissionId(hubId, 'registration'), type: 'registration', hubId, fullName: 'Awa Sissoko', consent: true }));
      await hub.db.bulkDocs([...registrations('kayes-demo'), ...registrations('nioro-01'), { _id: '_design/x', views: {} }, ...votes(5)]);
      // What the catch-up reads, doc by doc.
      const read: string[] = [];
      type Reads = {
        allDocs(o: { include_docs?: boolean }): Promise<{ rows: { id?: string }[] }>;
        changes(o: object): Promise<{ results: { id: string }[] }>;
      };
      const spied = hub.db as unknown as Reads;
      const allDocs = spied.allDocs.bind(spied);
      const changes = spied.changes.bind(spied);
      spied.allDocs = async (o) => {
        const res = await allDocs(o);
        if (o.include_docs) for (const r of res.rows) if (r.id) read.push(r.id);
        return res;
      };
      spied.changes = async (o) => {
        const res = await changes(o);
        for (const r of res.results) read.push(r.id);
        return res;
      };
      const results = await hub.service.results(C1, 'kayes-demo');
      assert.equal(results.total, 35);
      assert.ok(read.length >= 35, `the votes were read (${read.length})`);
      assert.deepEqual(
        read.filter((id) => !id.includes(':response:')),
        [],
        'no registration read'
      );
      Object.assign(spied, { allDocs, changes });
      await assertExact(hub.service, hub.db, 'a recount');
      await hub.restart(true);
      const header = (await hub.db.get('_local/vote-tallies')) as unknown as { seq: number };
      assert.equal(header.seq, (await hub.db.info()).update_seq, 'the recount was saved');
      await assertExact(hub.service, hub.db, 'a restart after the recount');
    } finally {
      await hub.remove();
    }
  });

  it('count everything again when the last save did not land whole', async () => {
    const hub = await new Hub({}).open();
    try {
      await hub.db.bulkDocs(
        Array.from({ length: 5000 }, (_, k) => voteDoc({ hub: 'kayes-demo', consultation: C2._id, option: k % 3 ? 'classes' : 'cantine', sex: 'F' }))
      );
      await assertExact(hub.service, hub.db, '5000 votes');
      await hub.restart(true);
      // A chunk from another save than the header names: as if one doc of the save's batch had failed.
      const chunk = (await hub.db.get('_local/vote-tallies:1')) as unknown as Doc & { version: number; ids: string[]; row: number[] };
      await hub.db.put({ ...chunk, version: chunk.version - 1, ids: chunk.ids.slice(0, 10), row: chunk.row.slice(0, 10) });
      await hub.db.bulkDocs(Array.from({ length: 10 }, () => voteDoc({ hub: 'kayes-demo', consultation: C2._id, option: 'cantine' })));
      await hub.restart(false);
      await assertExact(hub.service, hub.db, 'a torn save');
    } finally {
      await hub.remove();
    }
  });
});
