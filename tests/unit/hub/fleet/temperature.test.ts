import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cpuTemperature } from '../../../../hub/fleet/index.js';
import { tempDir } from '../../../support/hub.js';

/** A fake /sys/class/thermal: zones with a type and a temperature in millidegrees. */
function thermal(zones: Record<string, { type: string; temp: string }>): ReturnType<typeof tempDir> {
  const dir = tempDir('espace-thermal-');
  for (const [zone, z] of Object.entries(zones)) {
    mkdirSync(join(dir.path, zone));
    writeFileSync(join(dir.path, zone, 'type'), `${z.type}\n`);
    writeFileSync(join(dir.path, zone, 'temp'), `${z.temp}\n`);
  }
  return dir;
}

describe('the heartbeat reads the SoC temperature from the kernel', () => {
  it("reads a Pi's cpu-thermal zone in degrees", async () => {
    const dir = thermal({ thermal_zone0: { type: 'cpu-thermal', temp: '51540' } });
    try {
      assert.equal(await cpuTemperature(dir.path), 51.5);
    } finally {
      dir.remove();
    }
  });

  it("prefers the CPU's zone to the others", async () => {
    const dir = thermal({ thermal_zone0: { type: 'acpitz', temp: '27800' }, thermal_zone1: { type: 'x86_pkg_temp', temp: '63000' } });
    try {
      assert.equal(await cpuTemperature(dir.path), 63);
    } finally {
      dir.remove();
    }
  });

  it('is null without thermal zones', async () => {
    const dir = tempDir('espace-thermal-');
    try {
      assert.equal(await cpuTemperature(dir.path), null);
      assert.equal(await cpuTemperature(join(dir.path, 'absent')), null);
    } finally {
      dir.remove();
    }
  });
});
