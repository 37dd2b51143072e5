import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hubCentralDb, submissionId } from '../../../../content/index.js';
import { couch, migrateCentral, purgeErasures, putUser, setupCentral } from '../../../../provisioning/central/index.js';
import { startTestCentral, type TestCentral } from '../../../support/central.js';
import { ANALYST } from '../../../support/console.js';
import { startSyncHub, writeSubmissions, type SyncHub } from '../../../support/sync-fixtures.js';

const basic = (u: { username: string; password: string }) => 'Basic ' + Buffer.from(`${u.username}:${u.password}`).toString('base64');

/** Polls until `check` holds (the replicator merges continuously, not at once). */
async function eventually(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(200);
  }
  assert.fail(`${what}: not within ${ms / 1000} s`);
}

describe('central: each hub in its own database, merged by the replicator, erasures purged', () => {
  let central: TestCentral;
  const hubs: SyncHub[] = [];
  const auth: Record<string, string> = {};
  let aminata: string;
  let aminataRev: string;
  const own: Record<string, string[]> = {};

  const get = (path: string, who: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${central.url}/${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: who, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const ids = async (db: string) => ((await couch<{ rows: { id: string }[] }>(central.url, `${db}/_all_docs`, central.admin)).body.rows ?? []).map((r) => r.id);

  before(async () => {
    central = await startTestCentral();
    await putUser(central.url, central.admin, ANALYST.username, ANALYST.password, ['analyst']);
    for (const id of ['iso-a', 'iso-b']) {
      const e = await central.enroll(id);
      auth[id] = basic(e);
      const hub = await startSyncHub({ hubId: id, centralUrl: central.url, username: e.username, password: e.password });
      hubs.push(hub);
      own[id] = await writeSubmissions(hub.dbs, id, 20);
    }
    const reg = {
      _id: submissionId('iso-a', 'registration'),
      type: 'registration',
      hubId: 'iso-a',
      createdAt: '2026-11-22T09:00:00Z',
      fullName: 'Aminata Sidibé',
      sex: 'F',
      ageBand: '15-24',
      commune: 'kayes',
      phone: '+223 76 00 00 01',
      consent: true,
      consentVersion: '2026-1',
    };
    aminata = reg._id;
    aminataRev = (await hubs[0]!.dbs.submissions.put(reg)).rev;
    for (const h of hubs) assert.equal((await h.engine.runNow('test')).classes.push?.ok, true);
  });
  after(async () => {
    for (const h of hubs) await h.close();
    await central?.stop();
  });

  it("each hub pushes into its own database; another hub's credentials read nothing of it", async () => {
    assert.ok((await ids(hubCentralDb('iso-a'))).includes(aminata));
    const b = auth['iso-b']!;
    const theirs = hubCentralDb('iso-a');
    const attempts: [string, { method?: string; body?: unknown }][] = [
      [`${theirs}/${encodeURIComponent(aminata)}`, {}],
      [`${theirs}/_all_docs?include_docs=true`, {}],
      [`${theirs}/_changes?include_docs=true`, {}],
      [`${theirs}/_find`, { method: 'POST', body: { selector: { type: 'registration' } } }],
      [`${theirs}/_bulk_get`, { method: 'POST', body: { docs: [{ id: aminata }] } }],
      [`submissions/${encodeURIComponent(aminata)}`, {}],
      ['submissions/_all_docs?include_docs=true', {}],
      ['submissions/_changes?include_docs=true', {}],
      ['submissions/_find', { method: 'POST', body: { selector: { type: 'registration' } } }],
      ['submissions/_bulk_get', { method: 'POST', body: { docs: [{ id: aminata }] } }],
      ['fleet/_all_docs?include_docs=true', {}],
    ];
    for (const [path, init] of attempts) {
      const res = await get(path, b, init);
      const text = await res.text();
      assert.ok(res.status === 401 || res.status === 403, `${init.method ?? 'GET'} ${path} → ${res.status}`);
      assert.doesNotMatch(text, /Aminata|\+223/, path);
    }
    // Nor can it write there.
    const put = await get(`${theirs}/iso-b:response:0mhz3k0x1000a1b2c3d4e5`, b, { method: 'PUT', body: { type: 'response' } });
    assert.ok(put.status === 401 || put.status === 403);
  });

  it("merges both hubs into submissions (analysts read it, editors don't) and heartbeats into fleet", async () => {
    const all = [...own['iso-a']!, aminata, ...own['iso-b']!];
    await eventually('both hubs merged', async () => {
      const merged = new Set(await ids('submissions'));
      return all.every((id) => merged.has(id));
    });
    await eventually('heartbeats copied into fleet', async () => {
      const fleet = await ids('fleet');
      return fleet.includes('iso-a') && fleet.includes('iso-b');
    });
    assert.equal((await get(`submissions/${encodeURIComponent(aminata)}`, basic(ANALYST))).status, 200);
    assert.equal((await get('fleet/iso-b', basic(ANALYST))).status, 200);
    assert.ok([401, 403].includes((await get('submissions/_all_docs', basic(central.editor))).status), 'an editor reads no submissions');
    // Hubs cannot write into the merged database either (only the replicator does).
    const direct = await get(`submissions/${encodeURIComponent(own['iso-b']![0]!)}x`, auth['iso-b']!, { method: 'PUT', body: {} });
    assert.ok(direct.status === 401 || direct.status === 403);
  });

  it('sequences are opaque strings, as CouchDB 3 gives them', async () => {
    const info = (await (await get(hubCentralDb('iso-a'), auth['iso-a']!)).json()) as { update_seq: unknown };
    assert.equal(typeof info.update_seq, 'string');
    const changes = (await (await get(`${hubCentralDb('iso-a')}/_changes?limit=2`, auth['iso-a']!)).json()) as {
      last_seq: unknown;
      results: { seq: unknown }[];
    };
    assert.match(String(changes.last_seq), /^\d+-\S+$/);
    assert.equal(typeof changes.results[0]!.seq, 'string');
    const all = (await (await get(`${hubCentralDb('iso-a')}/_changes`, auth['iso-a']!)).json()) as { results: unknown[] };
    const rest = (await (await get(`${hubCentralDb('iso-a')}/_changes?since=${encodeURIComponent(String(changes.last_seq))}`, auth['iso-a']!)).json()) as {
      results: unknown[];
    };
    assert.equal(rest.results.length, all.results.length - 2, 'since= takes the opaque seq back');
  });

  it('an erasure on the hub is purged at central: the old revision is 404 in both databases', async () => {
    const hub = hubs[0]!;
    await hub.dbs.submissions.remove(aminata, aminataRev);
    await hub.dbs.submissions.compact();
    assert.equal((await hub.engine.runNow('test')).classes.push?.ok, true);
    const old = (db: string) => couch(central.url, `${db}/${encodeURIComponent(aminata)}?rev=${aminataRev}`, central.admin);
    await eventually('the deletion merged', async () => (await couch(central.url, `submissions/${encodeURIComponent(aminata)}`, central.admin)).status === 404);
    // Before the purge, CouchDB (and the stand-in) still answer the old revision, name and phone included.
    assert.equal((await old('submissions')).status, 200);
    const report = await purgeErasures(central.url, central.admin);
    assert.deepEqual(report.purged, [aminata]);
    assert.equal((await old('submissions')).status, 404);
    assert.equal((await old(hubCentralDb('iso-a'))).status, 404);
    assert.deepEqual((await purgeErasures(central.url, central.admin)).purged, [], 'a second run purges nothing more');
  });

  it('is CouchDB 3 where it hurts: _replicate open to any user, _security PUT by a non-admin is a 500', async () => {
    const open = await get('_replicate', auth['iso-b']!, { method: 'POST', body: { source: 'content', target: 'x' } });
    assert.equal(open.status, 400, 'local names refused as CouchDB 3 does; URLs would be fetched (the proxy refuses _replicate)');
    assert.match(await open.text(), /Local endpoints not supported/);
    const sec = await get(`${hubCentralDb('iso-b')}/_security`, auth['iso-b']!, { method: 'PUT', body: { members: { names: [], roles: [] } } });
    assert.equal(sec.status, 500);
    assert.match(await sec.text(), /no_majority/);
  });

  it('migrate moves a central of the old layout to one database per hub, and a second run changes nothing', async () => {
    // The old way: a hub user without a database of its own, its docs in the shared submissions.
    await putUser(central.url, central.admin, 'hub-vieux-01', 'old-password-123', ['hub']);
    const old = await writeSubmissionsAtCentral(central, 'vieux-01', 5);
    const first = await migrateCentral(central.url, central.admin);
    assert.equal(first.copied['vieux-01'], 5);
    assert.ok(first.created.includes(hubCentralDb('vieux-01')));
    assert.deepEqual((await ids(hubCentralDb('vieux-01'))).filter((id) => !id.startsWith('_')).sort(), old.sort());
    const again = await migrateCentral(central.url, central.admin);
    assert.equal(again.copied['vieux-01'], 0);
    assert.deepEqual([again.created, again.securitySet, again.designDocsUpdated, again.jobsWritten], [[], [], [], []]);
    assert.deepEqual(await setupCentral(central.url, central.admin), { created: [], designDocsUpdated: [], securitySet: [], jobsWritten: [], configSet: [] });
  });
});

/** Docs of a hub written straight into central's shared submissions by an administrator (the old layout). */
async function writeSubmissionsAtCentral(central: TestCentral, hubId: string, n: number): Promise<string[]> {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: submissionId(hubId, 'response'),
    type: 'response',
    hubId,
    createdAt: '2026-11-22T09:00:00Z',
    consultation: 'consultation:eau',
    option: 'puits',
    deviceId: `device-${String(i).padStart(6, '0')}`,
  }));
  const res = await couch<{ error?: string }[]>(central.url, 'submissions/_bulk_docs', central.admin, { method: 'POST', body: { docs } });
  assert.equal(res.body.filter((r) => r.error).length, 0);
  return docs.map((d) => d._id);
}
