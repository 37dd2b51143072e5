import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { spawnHub, tempDir, type HubProcess } from '../../support/hub.js';
import { adminWithoutSession, flood, forgedHosts } from '../../fault/scenarios/abuse.js';
import { fuzzHub } from '../../fault/scenarios/fuzz.js';
import { hubMemory } from '../../fault/scenarios/http.js';
import { HUB_ENV } from '../../fault/scenarios/power-cuts.js';
import { FaultTally } from '../../fault/scenarios/tally.js';

/** The short fault suite run by `make test`, part 2: fuzzed input, forged hosts, admin without a session, a flooding phone. */
describe('faults (short): bad input and abuse from the Wi-Fi', () => {
  const tally = new FaultTally();
  after(() => process.stdout.write(tally.summary()));

  describe('one hub for the fuzz and the refusals', () => {
    let hub: HubProcess;
    const dir = tempDir('espace-faults-');
    after(async () => {
      await hub?.stop();
      dir.remove();
    });

    it('300 fuzzed requests on every public endpoint: never a 5xx, the hub alive, memory back to normal', async () => {
      hub = await spawnHub(dir.path, HUB_ENV);
      const before = await hubMemory(hub.url);
      await fuzzHub(tally, hub.url, { runs: 300, mode: 'assert' });
      const afterFuzz = await hubMemory(hub.url);
      tally.notes.push(`memory around the fuzz: rss ${before.rssMB} → ${afterFuzz.rssMB} MB, heap ${before.heapMB} → ${afterFuzz.heapMB} MB`);
      assert.equal(hub.child.exitCode, null, 'the hub is still running');
      assert.equal(tally.fiveXX, 0, tally.problems.join('\n'));
      assert.ok(afterFuzz.heapMB < before.heapMB + 64, `heap grew from ${before.heapMB} to ${afterFuzz.heapMB} MB`);
    });

    it('forged Host headers are sent to the portal, never served nor echoed', async () => {
      for (const r of await forgedHosts(tally, hub.url)) {
        assert.equal(r.status, 302, `${r.host} ${r.path}`);
        assert.match(r.location, /^http:\/\/espace\.home\.arpa\//);
      }
    });

    it('admin routes without a session, or with a forged one, are refused', async () => {
      const probes = await adminWithoutSession(tally, hub.url);
      assert.ok(probes.length > 20);
      for (const p of probes) {
        const refused = p.status === 401 || p.status === 403 || ((p.status === 302 || p.status === 303) && p.location.startsWith('/admin/login'));
        assert.ok(refused, `${p.method} ${p.path} with cookie "${p.cookie}" answered ${p.status} ${p.location}`);
      }
    });
  });

  it('a phone flooding submissions is limited to its quota while another is served in full', async () => {
    const dir = tempDir('espace-faults-');
    const hub = await spawnHub(dir.path, { ESPACE_LOG_LEVEL: 'warn', ESPACE_SUBMISSIONS_PER_MINUTE: '30' });
    try {
      const r = await flood(tally, hub.url, { floodMs: 3000, workers: 8, visitorRequests: 40 });
      tally.notes.push(
        `flood: flooder ${r.flooder.accepted} accepted, ${r.flooder.limited} limited of ${r.flooder.sent}; visitor p95 ${r.visitor.p95QuietMs} ms quiet, ${r.visitor.p95FloodMs} ms under the flood`
      );
      assert.equal(r.flooder.accepted, 30, 'the flooder gets exactly its quota');
      assert.ok(r.flooder.limited > 30, 'and is refused the rest');
      assert.equal(r.visitor.submissionsAccepted, 3, 'the other phone still submits');
      assert.equal(r.visitor.readsOk, r.visitor.readsSent, 'and reads');
    } finally {
      await hub.stop();
      dir.remove();
    }
  });
});
