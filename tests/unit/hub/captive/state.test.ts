import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CaptiveState } from '../../../../hub/captive/index.js';
import { tempDir } from '../../../support/index.js';

describe('captive admission state', () => {
  it('admits a phone for a lease, then forgets it', () => {
    const dir = tempDir();
    let now = 1_000_000;
    const state = new CaptiveState(join(dir.path, 'captive.json'), 60_000, () => now);
    assert.equal(state.isAdmitted('10.42.0.23'), false);
    state.admit('10.42.0.23');
    assert.equal(state.isAdmitted('10.42.0.23'), true);
    assert.equal(state.isAdmitted('10.42.0.24'), false);
    now += 60_001;
    assert.equal(state.isAdmitted('10.42.0.23'), false);
    dir.remove();
  });

  it('reloads what was saved, drops what expired, and survives a torn file', () => {
    const dir = tempDir();
    const file = join(dir.path, 'captive.json');
    let now = 5_000;
    new CaptiveState(file, 10_000, () => now).admit('10.42.0.5');
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8'))), ['10.42.0.5']);
    assert.equal(new CaptiveState(file, 10_000, () => now).isAdmitted('10.42.0.5'), true);
    now = 20_000;
    assert.equal(new CaptiveState(file, 10_000, () => now).isAdmitted('10.42.0.5'), false);
    writeFileSync(file, '{"10.42.0.5": 99999');
    assert.equal(new CaptiveState(file, 10_000, () => now).isAdmitted('10.42.0.5'), false);
    dir.remove();
  });
});
