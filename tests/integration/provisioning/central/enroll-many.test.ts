import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { couch, enrollHubs, hubDbName, type Enrollment } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';

/**
 * Issue 13, item 7: a programme enrolls its hubs in one command, one after another (each
 * `_users` write is a PBKDF2 hash at CouchDB). 50 hubs: each gets its own database and merge
 * job, writes there, and reads no other hub's.
 */
describe('50 hubs enrolled in one go', () => {
  let central: TestCentral;
  const ids = Array.from({ length: 50 }, (_, i) => `cercle-${String(i + 1).padStart(2, '0')}`);
  let enrolled: Enrollment[] = [];
  const seen: string[] = [];

  before(async () => {
    central = await startTestCentral();
    enrolled = await enrollHubs(central.url, central.admin, ids, (_e, id) => seen.push(id));
  });
  after(() => central?.stop());

  it('enrolls every hub, in the order given, each with its own password', () => {
    assert.equal(enrolled.length, 50);
    assert.deepEqual(seen, ids);
    assert.equal(new Set(enrolled.map((e) => e.password)).size, 50);
  });

  it('gives each hub its own database, and a job that merges it', async () => {
    const dbs = await couch<string[]>(central.url, '_all_dbs', central.admin);
    for (const id of ids) assert.ok(dbs.body.includes(hubDbName(id)), id);
    const jobs = await couch<{ rows: { id: string; doc: { source?: { url?: string } | string } }[] }>(
      central.url,
      '_replicator/_all_docs?include_docs=true',
      central.admin
    );
    const sources = jobs.body.rows.map((r) => JSON.stringify(r.doc.source ?? ''));
    for (const id of ids)
      assert.ok(
        sources.some((s) => s.includes(`/${hubDbName(id)}`)),
        `a merge job for ${id}`
      );
  });

  it('lets each write its own submissions and read no other hub’s', async () => {
    const doc = (hub: string) => ({
      _id: `${hub}:response:0mhz3k0x1000a1b2c3d4e5`,
      type: 'response',
      hubId: hub,
      createdAt: '2026-11-22T09:00:00Z',
      consultation: 'consultation:eau',
      option: 'puits',
      deviceId: 'device-123',
    });
    for (const i of [0, 24, 49]) {
      const id = ids[i]!;
      const me = enrolled[i]!;
      assert.equal((await couch(central.url, `${hubDbName(id)}/${encodeURIComponent(doc(id)._id)}`, me, { method: 'PUT', body: doc(id) })).status, 201);
      const other = ids[(i + 1) % ids.length]!;
      const read = await fetch(`${central.url}/${hubDbName(other)}/_all_docs`, {
        headers: { authorization: 'Basic ' + Buffer.from(`${me.username}:${me.password}`).toString('base64') },
      });
      assert.ok([401, 403].includes(read.status), `${id} reads ${other}: ${read.status}`);
    }
  });
});
