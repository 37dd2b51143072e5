import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnHub, tempDir } from '../../support/hub.js';
import { notifySocket } from '../../support/notify-socket.js';

/**
 * The hub's unit is Type=notify: systemd counts it started only at READY=1. Sent too early, a
 * hub still opening its databases would look hung to the liveness timer; never sent, systemd
 * would kill it at TimeoutStartSec. So READY=1 comes once /health answers, and STOPPING=1 on
 * the way out.
 */
describe('the hub under systemd', () => {
  it('says READY=1 once it answers, and STOPPING=1 when asked to stop', async () => {
    const dir = tempDir('espace-ready-');
    try {
      const path = join(dir.path, 'notify');
      // READY=1 and STOPPING=1, each followed by systemd-notify's BARRIER=1.
      const socket = notifySocket(path, 4);
      await socket.ready;
      const hub = await spawnHub(join(dir.path, 'data'), { NOTIFY_SOCKET: path, ESPACE_LOG_LEVEL: 'warn' });
      for (let i = 0; i < 100 && !socket.received().includes('READY=1'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(socket.received().slice(0, 2), ['READY=1', 'BARRIER=1'], 'READY=1 sent');
      const health = (await fetch(`${hub.url}/health`)).status;
      assert.equal(health, 200, '/health answers when READY=1 is sent');
      await hub.stop();
      assert.deepEqual(await socket.done, ['READY=1', 'BARRIER=1', 'STOPPING=1', 'BARRIER=1']);
    } finally {
      dir.remove();
    }
  });
});
