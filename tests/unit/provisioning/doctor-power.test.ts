import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitStatus, powerChecks } from '../../../hub/doctor/index.js';

describe("doctor: the Raspberry Pi firmware's throttled bits", () => {
  const verdicts = (bits: number) => powerChecks(bits).map((c) => c.verdict);

  it('reads 0x0 as all well', () => {
    assert.deepEqual(verdicts(0), ['ok', 'ok']);
    assert.equal(exitStatus(powerChecks(0)), 0);
  });
  it('reads under-voltage now as critical, with advice on the power supply', () => {
    const [uv] = powerChecks(0x50005);
    assert.equal(uv!.verdict, 'critical');
    assert.match(uv!.advice, /official power supply/);
    assert.equal(exitStatus(powerChecks(0x50005)), 2);
  });
  it('reads under-voltage and throttling since boot as warnings', () => {
    assert.deepEqual(verdicts(0x50000), ['warning', 'warning']);
    assert.equal(powerChecks(0x50000)[0]!.value, 'since boot (0x50000)');
  });
  it('reads a soft temperature limit now as throttling', () => {
    assert.deepEqual(verdicts(0x8), ['ok', 'warning']);
  });
});
