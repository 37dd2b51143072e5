import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawnHub, tempDir, type HubProcess } from '../support/hub.js';
import { adminWithoutSession, flood, forgedHosts } from './scenarios/abuse.js';
import { diskFull } from './scenarios/disk-full.js';
import { fuzzHub } from './scenarios/fuzz.js';
import { hubMemory } from './scenarios/http.js';
import { bigPack, hostilePacks, killDuringImport, type PackFixture } from './scenarios/pack-faults.js';
import { HUB_ENV, killDuringSubmissions } from './scenarios/power-cuts.js';
import { FaultTally } from './scenarios/tally.js';
import { killDuringSync, startUplink, uplinkFaults, type Uplink } from './scenarios/uplink.js';

/**
 * `make test-fault`: the long fault suite of issue 8 — power cuts 20 times in a row during
 * submissions, pack imports and sync; a full disk; a failing uplink; fuzzed and hostile input;
 * abuse from the Wi-Fi. Prints one summary at the end.
 */
const tally = new FaultTally();
const say = (line: string) => process.stdout.write(`# ${line}\n`);

describe('fault suite', () => {
  after(() => process.stdout.write(`\n${tally.summary()}`));

  describe('power cuts', () => {
    let pack: PackFixture;
    before(async () => {
      pack = await bigPack();
    });
    after(() => pack.work.remove());

    it('kill -9 20 times during concurrent submissions: every 201 survives, the hub starts each time', async () => {
      const dir = tempDir('espace-fault-');
      try {
        const r = await killDuringSubmissions(tally, { dataDir: dir.path, cycles: 20, workers: 16, maxDelayMs: 1500 });
        say(`20 cuts during submissions: ${r.acked} acknowledged, ${r.missing.length} missing`);
        assert.ok(r.acked > 100);
        assert.deepEqual(r.missing, []);
      } finally {
        dir.remove();
      }
    });

    it('kill -9 20 times during a pack import: after a restart the pack is wholly there or not at all', async () => {
      const r = await killDuringImport(tally, pack, { cycles: 20 });
      say(`20 cuts during import: ${r.states.join(', ')}`);
      assert.deepEqual(r.partial, []);
    });

    it('kill -9 20 times during sync: nothing lost, nothing twice, and sync resumes', async () => {
      const up = await startUplink('ky-faults');
      try {
        const r = await killDuringSync(tally, up, { cycles: 20, maxDelayMs: 1500 });
        say(`20 cuts during sync: ${r.acked} acknowledged, ${r.atCentral} at central, ${r.unconfirmed} unconfirmed, ${r.contentPulled} announcements pulled`);
        assert.deepEqual(r.lost, []);
        assert.equal(r.final.result?.ok, true, JSON.stringify(r.final));
        assert.deepEqual(r.missingAtCentral, []);
        assert.deepEqual(r.strangers, []);
        assert.equal(r.unconfirmed, 0);
        assert.equal(r.contentPulled, up.content.length);
      } finally {
        await up.stop();
      }
    });
  });

  it('disk full: 507 for writes, reads go on, and after freeing space everything continues', async () => {
    const r = await diskFull(tally, { sizeMB: 16, writes: 400 });
    say(`disk full: ${r.acked.length} acknowledged, ${r.refusedWith507} refused with 507, reads ${JSON.stringify(r.readsWhileFull)}`);
    assert.ok(r.refusedWith507 > 0);
    assert.deepEqual(r.otherRefusals, {});
    for (const [path, status] of Object.entries(r.readsWhileFull)) assert.ok(status < 400, `${path} answered ${status}`);
    assert.equal(r.ackedAfterFreeing, 20);
    assert.deepEqual(r.missing, []);
  });

  describe('uplink faults', () => {
    let up: Uplink;
    before(async () => {
      up = await startUplink('ky-uplink');
    });
    after(() => up.stop());

    it('down, slow, cut, 5xx, garbage, clock years away: serving goes on, the error is in words, nothing lost or doubled', async () => {
      const r = await uplinkFaults(tally, up);
      say(`serving p95 with a healthy link: ${r.quietP95Ms} ms`);
      for (const c of r.cases) say(`uplink ${c.fault}: run ok=${c.ok}, serving p95 ${c.servingP95Ms} ms, errors ${c.servingErrors}; "${c.message}"`);
      for (const c of r.cases) {
        assert.equal(c.servingErrors, 0, `${c.fault}: the hub failed reads meanwhile`);
        if (!c.ok) assert.match(c.message, /\w+ \w+/, `${c.fault}: the error is said in words`);
      }
      assert.equal(r.healedOk, true);
      assert.deepEqual(r.after.missingAtCentral, []);
      assert.deepEqual(r.after.strangers, []);
    });
  });

  describe('bad input', () => {
    let hub: HubProcess;
    let pack: PackFixture;
    const dir = tempDir('espace-fault-');
    before(async () => {
      hub = await spawnHub(dir.path, HUB_ENV);
      pack = await bigPack(20);
    });
    after(async () => {
      await hub.stop();
      dir.remove();
      pack.work.remove();
    });

    it('3 000 fuzzed requests on every public endpoint: never a 5xx, never a crash, memory back to normal', async () => {
      const before = await hubMemory(hub.url);
      await fuzzHub(tally, hub.url, { runs: 3000, mode: 'collect' });
      await new Promise((r) => setTimeout(r, 2000));
      const afterFuzz = await hubMemory(hub.url);
      tally.notes.push(`memory around the fuzz: rss ${before.rssMB} → ${afterFuzz.rssMB} MB, heap ${before.heapMB} → ${afterFuzz.heapMB} MB`);
      assert.equal(hub.child.exitCode, null, 'the hub is still running');
      assert.ok(afterFuzz.heapMB < before.heapMB + 64, `heap grew from ${before.heapMB} to ${afterFuzz.heapMB} MB`);
      assert.equal(tally.fiveXX, 0, tally.problems.join('\n'));
    });

    it('hostile packs (zip bomb, traversal, symlink, wrong hashes) are refused with the databases unchanged', async () => {
      const results = await hostilePacks(tally, pack);
      for (const r of results) say(`hostile pack ${r.name}: exit ${r.code}, "${r.message}", databases unchanged: ${r.unchanged}`);
      for (const r of results) {
        assert.notEqual(r.code, 0, `${r.name} was accepted`);
        assert.match(r.message, /^espace: /);
        assert.equal(r.unchanged, true, `${r.name} changed the databases`);
      }
    });
  });

  describe('abuse from the Wi-Fi', () => {
    it('a phone flooding submissions is limited without slowing others', async () => {
      const dir = tempDir('espace-fault-');
      const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '30' });
      try {
        const r = await flood(tally, hub.url, { floodMs: 10_000, workers: 16, visitorRequests: 100 });
        say(
          `flood: flooder ${r.flooder.accepted} accepted, ${r.flooder.limited} limited of ${r.flooder.sent}; visitor p95 ${r.visitor.p95QuietMs} ms quiet, ${r.visitor.p95FloodMs} ms under the flood`
        );
        assert.equal(r.flooder.accepted, 30);
        assert.equal(r.visitor.submissionsAccepted, 3);
        assert.equal(r.visitor.readsOk, r.visitor.readsSent);
      } finally {
        await hub.stop();
        dir.remove();
      }
    });

    it('forged Host headers and admin routes without a session are refused', async () => {
      const dir = tempDir('espace-fault-');
      const hub = await spawnHub(dir.path, HUB_ENV);
      try {
        for (const r of await forgedHosts(tally, hub.url)) {
          assert.equal(r.status, 302, `${r.host} ${r.path}`);
          assert.match(r.location, /^http:\/\/espace\.home\.arpa\//);
        }
        for (const p of await adminWithoutSession(tally, hub.url)) {
          const refused = p.status === 401 || p.status === 403 || ((p.status === 302 || p.status === 303) && p.location.startsWith('/admin/login'));
          assert.ok(refused, `${p.method} ${p.path} with cookie "${p.cookie}" answered ${p.status}`);
        }
      } finally {
        await hub.stop();
        dir.remove();
      }
    });
  });
});
