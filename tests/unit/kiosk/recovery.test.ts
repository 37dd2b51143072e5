import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeartbeatMonitor } from '../../../kiosk/policy/heartbeat.js';
import { IdleTracker } from '../../../kiosk/policy/idle.js';
import { RecoveryLadder } from '../../../kiosk/policy/ladder.js';

describe('heartbeat', () => {
  it('expires when the page stops pinging, not only before the first ping', () => {
    const hb = new HeartbeatMonitor(20_000, 45_000);
    assert.equal(hb.isExpired(1_000_000), false, 'not armed: nothing expected');
    hb.arm(0);
    assert.equal(hb.isExpired(44_999), false, 'loading: within the start grace');
    assert.equal(hb.isExpired(45_001), true, 'no first ping in the start grace');
    hb.beat(50_000);
    assert.equal(hb.isExpired(69_999), false);
    hb.beat(65_000);
    assert.equal(hb.isExpired(84_000), false, 'each ping pushes the deadline');
    assert.equal(hb.isExpired(85_001), true, 'a page that pinged for a while then hung');
    hb.disarm();
    assert.equal(hb.isExpired(1e9), false);
  });
});

describe('idle reset', () => {
  it('resets only after someone used the kiosk and left it alone for the idle time', () => {
    const idle = new IdleTracker(90_000, 0);
    assert.equal(idle.isDue(1e7), false, 'nobody touched it: nothing to reset');
    assert.equal(idle.remaining(1e7), null);
    idle.activity(1000);
    assert.equal(idle.isDue(90_999), false);
    assert.equal(idle.remaining(31_000), 60_000);
    idle.activity(50_000);
    assert.equal(idle.isDue(139_999), false, 'each touch restarts the count');
    assert.equal(idle.isDue(140_000), true);
    idle.resetDone(140_000);
    assert.equal(idle.isDue(1e9), false, 'after the reset the attract loop is left alone');
  });

  it('treats a clock going backwards as activity, not as a reset', () => {
    const idle = new IdleTracker(90_000, 500_000);
    idle.activity(500_000);
    assert.equal(idle.isDue(100), false);
    assert.equal(idle.isDue(90_099), false);
    assert.equal(idle.isDue(90_100), true);
  });
});

describe('recovery ladder', () => {
  const options = { reloads: 2, recreates: 1, settleMs: 15_000, coolDownMs: 600_000 };

  it('escalates reload, reload, recreate, exit', () => {
    const ladder = new RecoveryLadder(options);
    assert.deepEqual(ladder.failure(0), { step: 'reload', reloads: 1, recreates: 0 });
    assert.deepEqual(ladder.failure(20_000), { step: 'reload', reloads: 2, recreates: 0 });
    assert.deepEqual(ladder.failure(40_000), { step: 'recreate', reloads: 2, recreates: 1 });
    assert.deepEqual(ladder.failure(60_000), { step: 'exit', reloads: 2, recreates: 1 });
    assert.equal(ladder.failure(90_000)?.step, 'exit', 'stays at exit');
  });

  it('counts failures of the same incident once', () => {
    const ladder = new RecoveryLadder(options);
    assert.equal(ladder.failure(0)?.step, 'reload');
    assert.equal(ladder.failure(1000), null, 'unresponsive and heartbeat at once');
    assert.equal(ladder.failure(14_999), null);
    assert.equal(ladder.failure(15_000)?.step, 'reload');
    assert.deepEqual(ladder.snapshot(), { reloads: 2, recreates: 0 });
  });

  it('starts from the bottom again after a quiet cool-down', () => {
    const ladder = new RecoveryLadder(options);
    ladder.failure(0);
    ladder.failure(20_000);
    assert.equal(ladder.failure(40_000)?.step, 'recreate');
    assert.equal(ladder.failure(40_000 + 600_000)?.step, 'reload', 'ten quiet minutes: a new incident');
    assert.deepEqual(ladder.snapshot(), { reloads: 1, recreates: 0 });
    ladder.reset();
    assert.deepEqual(ladder.snapshot(), { reloads: 0, recreates: 0 });
  });

  it('does not stall when the clock goes backwards', () => {
    const ladder = new RecoveryLadder(options);
    ladder.failure(1_000_000);
    assert.equal(ladder.failure(10)?.step, 'reload');
  });
});
