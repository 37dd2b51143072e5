import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CornerGesture } from '../../../kiosk/policy/gesture.js';
import { PinGate } from '../../../kiosk/policy/pin.js';

describe('technician gesture', () => {
  it('opens on five taps in the top-left corner within three seconds', () => {
    const g = new CornerGesture();
    const results = [0, 500, 1000, 1500, 2000].map((t) => g.tap(10, 20, t));
    assert.deepEqual(results, [false, false, false, false, true]);
    assert.equal(g.tap(10, 20, 2100), false, 'the count starts again after opening');
  });

  it('does not open on slow taps, taps elsewhere, or a tap outside in between', () => {
    const slow = new CornerGesture();
    assert.equal([0, 800, 1600, 2400, 3200].map((t) => slow.tap(5, 5, t)).includes(true), false);
    const elsewhere = new CornerGesture();
    assert.equal([0, 100, 200, 300, 400].map((t) => elsewhere.tap(500, 5, t)).includes(true), false);
    const broken = new CornerGesture();
    [0, 100, 200, 300].forEach((t) => broken.tap(5, 5, t));
    broken.tap(400, 400, 350);
    assert.equal(broken.tap(5, 5, 400), false);
    assert.equal(new CornerGesture().tap(-1, 5, 0), false);
    assert.equal(new CornerGesture().tap(Number.NaN, 5, 0), false);
  });
});

describe('technician PIN', () => {
  const options = { maxFailures: 3, lockoutMs: 60_000, maxLockoutMs: 150_000 };

  it('accepts the right PIN and counts wrong ones', () => {
    const gate = new PinGate('2468', options);
    assert.deepEqual(gate.check('2468', 0), { ok: true });
    assert.deepEqual(gate.check('1234', 1), { ok: false, reason: 'wrong', attemptsLeft: 2 });
    assert.deepEqual(gate.check('24680', 2), { ok: false, reason: 'wrong', attemptsLeft: 1 });
    assert.deepEqual(gate.check('2468', 3), { ok: true }, 'a right PIN clears the count');
    assert.deepEqual(gate.check('', 4), { ok: false, reason: 'wrong', attemptsLeft: 2 });
  });

  it('locks after too many failures, even against the right PIN, longer each time', () => {
    const gate = new PinGate('2468', options);
    gate.check('0000', 0);
    gate.check('0000', 1);
    assert.deepEqual(gate.check('0000', 2), { ok: false, reason: 'locked', retryInMs: 60_000 });
    assert.deepEqual(gate.check('2468', 30_002), { ok: false, reason: 'locked', retryInMs: 30_000 });
    gate.check('1', 60_002);
    gate.check('1', 60_003);
    assert.deepEqual(gate.check('1', 60_004), { ok: false, reason: 'locked', retryInMs: 120_000 });
    gate.check('1', 180_004);
    gate.check('1', 180_005);
    assert.deepEqual(gate.check('1', 180_006), { ok: false, reason: 'locked', retryInMs: 150_000 }, 'capped');
    assert.deepEqual(gate.check('2468', 330_006), { ok: true });
  });
});
