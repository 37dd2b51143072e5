import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { QuietMoment } from '../../../hub/quiet-moment.js';

/** Lets the promise chains that the ticked timers released run (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The fake time at which `quiet.reached(maxMs)` resolves, the clock ticked 1 ms at a time, with `during(ms)` run at each tick. */
async function reachedAt(quiet: QuietMoment, maxMs: number, during: (ms: number) => void = () => undefined): Promise<number> {
  let done = false;
  void quiet.reached(maxMs).then(() => (done = true));
  for (let ms = 0; ms <= 2 * maxMs; ms += 1) {
    during(ms);
    await settle();
    if (done) return ms;
    mock.timers.tick(1);
  }
  assert.fail('never reached');
}

describe('a quiet moment before the rest of the hub loads (hub/quiet-moment.ts)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('comes after quietMs without a request, counted from the wait', async () => {
    assert.equal(await reachedAt(new QuietMoment(50), 1000), 50);
  });

  it('is put off by each request heard, up to maxMs', async () => {
    const quiet = new QuietMoment(50);
    assert.equal(await reachedAt(quiet, 1000, (ms) => ms === 30 && quiet.heard()), 80);
    const busy = new QuietMoment(50);
    assert.equal(await reachedAt(busy, 300, (ms) => ms % 40 === 0 && busy.heard()), 300);
  });

  it('counts a request heard before the wait began', async () => {
    const quiet = new QuietMoment(50);
    mock.timers.tick(100);
    quiet.heard();
    mock.timers.tick(20);
    assert.equal(await reachedAt(quiet, 1000), 50, 'the wait itself is quietMs at least');
    const earlier = new QuietMoment(50);
    earlier.heard();
    mock.timers.tick(60);
    assert.equal(await reachedAt(earlier, 1000), 50);
  });

  it('ends at once when a request needs what is waited for, and stays ended', async () => {
    const quiet = new QuietMoment(50);
    assert.equal(await reachedAt(quiet, 1000, (ms) => ms === 10 && quiet.now()), 10);
    assert.equal(await reachedAt(quiet, 1000), 0);
  });
});
