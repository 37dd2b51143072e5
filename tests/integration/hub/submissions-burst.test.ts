import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../../hub/log/index.js';
import { closeDatabases, openDatabases, type Database } from '../../../hub/storage/index.js';
import { fixtureDocs, seedFixtures, spawnHub, startTestHub, tempDir, type TestHub } from '../../support/index.js';

const CONSULTATION = 'consultation:priorites';
const REGISTRATION = { fullName: 'Mariam Keïta', sex: 'F', ageBand: '15-24', commune: 'kayes', consent: true };
const vote = (i: number) => ({
  consultation: CONSULTATION,
  option: i % 3 ? 'eau' : 'ecole',
  deviceId: `burst-device-${i}`,
  sex: i % 2 ? 'F' : 'M',
  ageBand: '25-35',
});

async function post(url: string, body: unknown): Promise<{ status: number; body: { id?: string; reason?: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id?: string } };
}

async function missing(db: Database, ids: string[]): Promise<string[]> {
  const found = await db.allDocs({ keys: ids });
  return found.rows.filter((r) => 'error' in r || !('value' in r) || r.value.deleted).map((r) => r.key);
}

/** Each request is written in a batch with the others that arrive meanwhile (group commit): none may be lost or doubled. */
describe('submissions written together', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ limits: { bodyBytes: 64 * 1024, submissionsPerMinute: 100_000 } });
    await seedFixtures(hub);
  });
  after(() => hub.stop());

  it('acknowledges 300 concurrent submissions, each stored once and counted once', async () => {
    const u = `${hub.url}/api/v1/submissions`;
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 2 ? post(`${u}/registration`, { ...REGISTRATION, fullName: `Participante ${i}` }) : post(`${u}/response`, vote(i))
      )
    );
    assert.deepEqual(
      answers.filter((a) => a.status !== 201),
      [],
      'every submission is acknowledged'
    );
    const ids = answers.map((a) => a.body.id!);
    assert.equal(new Set(ids).size, 300);
    assert.deepEqual(await missing(hub.deps.dbs.submissions, ids), []);
    const results = (await (await fetch(`${hub.url}/api/v1/consultations/${CONSULTATION}/results`)).json()) as {
      total: number;
      options: Record<string, { total: number }>;
    };
    assert.equal(results.total, 150);
    assert.equal(results.options.ecole!.total, 50);
  });

  it('counts a double tap once, however many copies arrive in the same batch', async () => {
    const before = ((await (await fetch(`${hub.url}/api/v1/consultations/${CONSULTATION}/results`)).json()) as { total: number }).total;
    const taps = await Promise.all(Array.from({ length: 12 }, () => post(`${hub.url}/api/v1/submissions/response`, vote(100_001))));
    assert.deepEqual(taps.map((t) => t.status).sort(), [201, ...Array(11).fill(409)]);
    assert.ok(taps.filter((t) => t.status === 409).every((t) => t.body.reason === 'already-voted'));
    const after = ((await (await fetch(`${hub.url}/api/v1/consultations/${CONSULTATION}/results`)).json()) as { total: number }).total;
    assert.equal(after, before + 1);
  });
});

describe('submissions written together, under kill -9', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('keeps every acknowledged write, and each vote with its marker, all or nothing', async () => {
    const seed = await openDatabases(dir.path, createLogger('silent'));
    await seed.content.bulkDocs(fixtureDocs() as PouchDB.Core.PutDocument<Record<string, unknown>>[]);
    await closeDatabases(seed);

    const env = { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '100000' };
    const hub = await spawnHub(dir.path, env);
    const acked: string[] = [];
    const votesAcked: number[] = [];
    let killed = false;
    const send = async (i: number) => {
      try {
        const res =
          i % 2
            ? await post(`${hub.url}/api/v1/submissions/registration`, { ...REGISTRATION, fullName: `Participante ${i}` })
            : await post(`${hub.url}/api/v1/submissions/response`, vote(i));
        if (res.status !== 201) return;
        acked.push(res.body.id!);
        if (i % 2 === 0) votesAcked.push(i);
        if (acked.length === 120 && !killed) {
          killed = true;
          await hub.kill9();
        }
      } catch {
        // Reset by the kill: never acknowledged, so never expected.
      }
    };
    // Four waves of 150 phones: the kill lands in the middle of a burst, with batches on their way to disk.
    for (let wave = 0; wave < 4 && !killed; wave += 1) await Promise.all(Array.from({ length: 150 }, (_, k) => send(wave * 150 + k)));
    if (!killed) await hub.kill9();
    assert.ok(acked.length >= 120, `at least 120 writes acknowledged before the kill (got ${acked.length})`);

    const dbs = await openDatabases(dir.path, createLogger('silent'));
    let votes: number;
    try {
      assert.deepEqual(await missing(dbs.submissions, acked), [], 'every acknowledged write survives kill -9');
      // A vote and its device's marker are one batch: never one without the other.
      const stored = await dbs.submissions.allDocs({ include_docs: true, startkey: 'kayes-demo:response:', endkey: 'kayes-demo:response:\ufff0' });
      const devices = new Set(stored.rows.map((r) => String(r.doc?.deviceId)));
      votes = stored.rows.length;
      for (let i = 0; i < 600; i += 2) {
        const marker = await dbs.submissions.get(`_local/vote:${CONSULTATION}:burst-device-${i}`).catch(() => null);
        assert.equal(marker !== null, devices.has(`burst-device-${i}`), `device ${i}: marker and vote both stored, or neither`);
      }
      for (const i of votesAcked) assert.ok(devices.has(`burst-device-${i}`));
    } finally {
      await closeDatabases(dbs);
    }

    // After the power cut, the results count exactly the votes on disk, and a device that voted cannot vote again.
    const again = await spawnHub(dir.path, env);
    try {
      const results = (await (await fetch(`${again.url}/api/v1/consultations/${CONSULTATION}/results`)).json()) as { total: number };
      assert.equal(results.total, votes);
      const twice = await post(`${again.url}/api/v1/submissions/response`, vote(votesAcked[0]!));
      assert.equal(twice.status, 409);
    } finally {
      await again.stop();
    }
  });
});
