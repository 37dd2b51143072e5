import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS } from '../../../hub/config/index.js';
import { DisplayPlanner, isOpenAt, nextChange, type OpeningHours } from '../../../kiosk/policy/schedule.js';

// Local-time dates (the Pi's clock): 2026-11-23 is a Monday.
const at = (day: number, h: number, m = 0) => new Date(2026, 10, 23 + day, h, m);
const MON = 0,
  TUE = 1,
  SAT = 5,
  SUN = 6;

describe('display schedule', () => {
  it('follows the default opening hours', () => {
    const hours = DEFAULTS.kiosk.openingHours;
    assert.equal(isOpenAt(hours, at(MON, 7, 59)), false);
    assert.equal(isOpenAt(hours, at(MON, 8, 0)), true);
    assert.equal(isOpenAt(hours, at(MON, 17, 59)), true);
    assert.equal(isOpenAt(hours, at(MON, 18, 0)), false);
    assert.equal(isOpenAt(hours, at(SAT, 12, 30)), true);
    assert.equal(isOpenAt(hours, at(SAT, 13, 0)), false);
    assert.equal(isOpenAt(hours, at(SUN, 10, 0)), false);
  });

  it('handles windows that cross midnight, on the right days', () => {
    const hours: OpeningHours = { mon: [{ from: '22:00', to: '02:00' }], sun: [{ from: '23:30', to: '00:30' }] };
    assert.equal(isOpenAt(hours, at(MON, 21, 59)), false);
    assert.equal(isOpenAt(hours, at(MON, 23, 0)), true);
    assert.equal(isOpenAt(hours, at(TUE, 0, 0)), true, 'Monday night goes on past midnight');
    assert.equal(isOpenAt(hours, at(TUE, 1, 59)), true);
    assert.equal(isOpenAt(hours, at(TUE, 2, 0)), false);
    assert.equal(isOpenAt(hours, at(MON, 1, 0)), false, 'Monday early morning belongs to Sunday night');
    assert.equal(isOpenAt(hours, at(MON, 0, 15)), true, 'Sunday 23:30–00:30 runs into Monday');
    assert.equal(isOpenAt(hours, at(MON, 0, 30)), false);
    assert.equal(isOpenAt(hours, at(TUE, 23, 0)), false);
  });

  it('reads equal start and end as a whole day, and no windows as closed', () => {
    assert.equal(isOpenAt({ wed: [{ from: '06:00', to: '06:00' }] }, at(2, 23, 59)), true);
    assert.equal(isOpenAt({ wed: [{ from: '06:00', to: '06:00' }] }, at(3, 5, 59)), true);
    assert.equal(isOpenAt({ wed: [{ from: '06:00', to: '06:00' }] }, at(3, 6, 0)), false);
    assert.equal(isOpenAt({}, at(MON, 12)), false);
    assert.equal(nextChange({}, at(MON, 12)), null);
  });

  it('finds the next change across midnight and the week end', () => {
    const hours = DEFAULTS.kiosk.openingHours;
    assert.deepEqual(nextChange(hours, at(MON, 12, 10)), at(MON, 18, 0));
    assert.deepEqual(nextChange(hours, at(MON, 19)), at(TUE, 8));
    assert.deepEqual(nextChange(hours, at(SAT, 14)), at(7, 8), 'Saturday afternoon: next Monday 08:00');
  });

  it('re-asserts the state and follows clock jumps both ways', () => {
    const planner = new DisplayPlanner(DEFAULTS.kiosk.openingHours, 60_000);
    assert.deepEqual(planner.tick(at(MON, 7, 59), 0), { state: 'off', apply: true, changed: true });
    assert.deepEqual(planner.tick(at(MON, 7, 59), 1000), { state: 'off', apply: false, changed: false });
    assert.deepEqual(planner.tick(at(MON, 7, 59), 61_000), { state: 'off', apply: true, changed: false }, 're-asserted every minute');
    // NTP after a power cut moves the clock from 07:59 to 12:00: the screen comes on at once.
    assert.deepEqual(planner.tick(at(MON, 12), 62_000), { state: 'on', apply: true, changed: true });
    // A technician sets the clock back across midnight, to Sunday 23:50.
    assert.deepEqual(planner.tick(at(-1, 23, 50), 63_000), { state: 'off', apply: true, changed: true });
    // The monotonic clock going back (a reboot) applies again rather than waiting.
    assert.equal(planner.tick(at(-1, 23, 51), 10).apply, true);
  });

  it('stays on after a wake-up touch until the wake time ends', () => {
    const planner = new DisplayPlanner(DEFAULTS.kiosk.openingHours, 60_000);
    assert.equal(planner.tick(at(SUN, 10), 0).state, 'off');
    planner.wake(90_000);
    assert.deepEqual(planner.tick(at(SUN, 10), 1000), { state: 'on', apply: true, changed: true });
    assert.equal(planner.tick(at(SUN, 10, 1), 89_999).state, 'on');
    assert.deepEqual(planner.tick(at(SUN, 10, 2), 90_000), { state: 'off', apply: true, changed: true });
  });
});
