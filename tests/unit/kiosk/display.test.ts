import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../support/hub.js';
import { silentLogger } from '../../../hub/log/index.js';
import { detectDisplayBackend, parseWlrRandrOutputs } from '../../../kiosk/display.js';

// What `wlr-randr` prints on a Pi 5 under labwc with a TV on HDMI-A-1 and nothing on HDMI-A-2.
const WLR_RANDR = `HDMI-A-1 "Samsung Electric Company SAMSUNG 0x01000E00 (HDMI-A-1)"
  Make: Samsung Electric Company
  Model: SAMSUNG
  Physical size: 1600x900 mm
  Enabled: yes
  Modes:
    1920x1080 px, 60.000000 Hz (preferred, current)
    1280x720 px, 60.000000 Hz
  Position: 0,0
  Transform: normal
  Scale: 1.000000
DSI-1 "(null) (null) (DSI-1)"
  Enabled: no
`;

describe('screen blanking', () => {
  it('reads the output names from wlr-randr', () => {
    assert.deepEqual(parseWlrRandrOutputs(WLR_RANDR), ['HDMI-A-1', 'DSI-1']);
    assert.deepEqual(parseWlrRandrOutputs(''), []);
  });

  it('falls back to the black page alone without a graphical session', async () => {
    const backend = await detectDisplayBackend({ PATH: process.env.PATH }, silentLogger());
    assert.equal(backend.name, 'page-only');
    assert.match(backend.reason, /no WAYLAND_DISPLAY; no DISPLAY/);
    await backend.set('off');
  });

  it('does not trust xset on an X server without DPMS (Xvfb), and says why', async () => {
    // -displayfd: Xvfb picks a free display number and prints it when it is ready.
    const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '640x480x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const display = await new Promise<string>((resolve, reject) => {
        xvfb.stdout.once('data', (c: Buffer) => resolve(`:${c.toString().trim()}`));
        xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
      });
      const backend = await detectDisplayBackend({ DISPLAY: display, PATH: process.env.PATH }, silentLogger());
      assert.equal(backend.name, 'page-only');
      assert.match(backend.reason, /the X server has no DPMS/);
    } finally {
      xvfb.kill();
    }
  });

  /**
   * Stand-ins for the compositor's tools (shell scripts first on PATH): they answer a listing
   * or a DPMS report, and write down every other command line they get.
   */
  function standIn(name: string, listing: string) {
    const dir = tempDir('espace-display-');
    const log = join(dir.path, 'calls.log');
    writeFileSync(join(dir.path, name), `#!/bin/sh\nif [ "$#" -eq 0 ] || [ "$1" = q ]; then cat <<'EOF'\n${listing}EOF\nelse echo "$@" >> '${log}'; fi\n`, {
      mode: 0o755,
    });
    return { path: `${dir.path}:${process.env.PATH}`, calls: () => readFileSync(log, 'utf8').trim().split('\n'), remove: () => dir.remove() };
  }

  it('switches every Wayland output off and on with wlr-randr', async () => {
    const tool = standIn('wlr-randr', WLR_RANDR);
    try {
      const backend = await detectDisplayBackend({ WAYLAND_DISPLAY: 'wayland-0', XDG_RUNTIME_DIR: '/run/user/1000', PATH: tool.path }, silentLogger());
      assert.equal(backend.name, 'wlr-randr');
      assert.equal(backend.reason, 'outputs HDMI-A-1, DSI-1');
      await backend.set('off');
      await backend.set('on');
      assert.deepEqual(tool.calls(), ['--output HDMI-A-1 --off', '--output DSI-1 --off', '--output HDMI-A-1 --on', '--output DSI-1 --on']);
    } finally {
      tool.remove();
    }
  });

  it("uses DPMS under X11 when the server has it, and keeps X's own blanking off in opening hours", async () => {
    const tool = standIn('xset', 'DPMS (Energy Star):\n  Standby: 600    Suspend: 600    Off: 600\n  DPMS is Enabled\n  Monitor is On\n');
    try {
      const backend = await detectDisplayBackend({ DISPLAY: ':0', PATH: tool.path }, silentLogger());
      assert.equal(backend.name, 'xset');
      await backend.set('off');
      await backend.set('on');
      assert.deepEqual(tool.calls(), ['dpms force off', 'dpms force on', 's off', 's noblank', '-dpms']);
    } finally {
      tool.remove();
    }
  });
});
