import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../../content/index.js';
import { ByteMeter, classify, inWindows } from '../../../../hub/sync/index.js';
import { refusedByCentral } from '../../../../hub/sync/errors.js';

const at = (h: number, m = 0) => new Date(2026, 10, 22, h, m).getTime();

describe('sync windows', () => {
  it('handles same-day and midnight-crossing windows', () => {
    const night = [{ from: '22:00', to: '05:30' }];
    assert.equal(inWindows(night, at(23)), true);
    assert.equal(inWindows(night, at(3)), true);
    assert.equal(inWindows(night, at(5, 30)), true);
    assert.equal(inWindows(night, at(5, 31)), false);
    assert.equal(inWindows(night, at(12)), false);
    assert.equal(
      inWindows(
        [
          { from: '08:00', to: '10:00' },
          { from: '14:00', to: '15:00' },
        ],
        at(14, 30)
      ),
      true
    );
    assert.equal(inWindows([], at(12)), false);
  });
});

describe('byte meter', () => {
  it('counts per class against the daily budget and starts afresh the next day', () => {
    let now = at(10);
    const meter = new ByteMeter(1000, () => now);
    meter.current = 'push';
    meter.add(300);
    meter.current = 'media';
    meter.add(650);
    assert.equal(meter.remaining(), 50);
    assert.doesNotThrow(() => meter.assertRoom());
    meter.add(60);
    assert.throws(
      () => meter.assertRoom(),
      (e: unknown) => e instanceof AppError && e.reason === 'budget-reached'
    );
    assert.deepEqual(meter.read().byClass, { push: 300, content: 0, media: 710, probe: 0 });
    now += 24 * 3600_000;
    assert.equal(meter.remaining(), 1000);
    assert.equal(meter.read().bytesToday, 0);
  });

  it('resumes today’s count from the saved state, not yesterday’s', () => {
    const now = at(10);
    const saved = new ByteMeter(1000, () => now);
    saved.add(400);
    assert.equal(new ByteMeter(1000, () => now, saved.read()).remaining(), 600);
    assert.equal(new ByteMeter(1000, () => now + 86_400_000, saved.read()).remaining(), 1000);
  });
});

describe('failures in plain words', () => {
  it('sorts network, credentials, budget and server errors', () => {
    assert.equal(classify(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })).kind, 'central-unreachable');
    assert.equal(classify({ status: 401, name: 'unauthorized', message: 'Name or password is incorrect.' }).kind, 'credentials-refused');
    assert.equal(classify({ status: 503, message: 'injected' }).kind, 'central-error');
    assert.equal(classify({ status: 503, message: 'injected' }).transient, true);
    const budget = classify(new AppError(429, 'budget-reached', 'budget reached: …'));
    assert.equal(budget.kind, 'budget-reached');
    assert.equal(budget.transient, false);
    assert.match(
      classify(refusedByCentral(['a:response:x'], 'hubId: must be')).message,
      /central refused 1 submission\(s\) \(e\.g\. a:response:x: hubId: must be\)/
    );
    let garbage: unknown;
    try {
      JSON.parse('\u008b\u0008 garbage');
    } catch (e) {
      garbage = e;
    }
    const notCouch = classify(garbage);
    assert.equal(notCouch.kind, 'central-error');
    assert.match(notCouch.message, /not CouchDB/);
    assert.doesNotMatch(notCouch.message, /Unexpected token|JSON/);
  });
});
