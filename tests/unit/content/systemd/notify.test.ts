import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../../hub/log/index.js';
import { SystemdNotifier, watchdogIntervalMs } from '../../../../content/index.js';
import { tempDir } from '../../../support/hub.js';
import { notifySocket } from '../../../support/notify-socket.js';

describe('systemd watchdog', () => {
  it('sends READY=1 and WATCHDOG=1 to $NOTIFY_SOCKET with systemd-notify', async () => {
    const dir = tempDir('espace-notify-');
    try {
      const path = join(dir.path, 'notify');
      // systemd-notify follows each message with BARRIER=1 and waits for systemd to take it,
      // so systemd still knows which unit sent it once systemd-notify has exited.
      const socket = notifySocket(path, 4);
      await socket.ready;
      const notifier = new SystemdNotifier(path, silentLogger());
      assert.equal(notifier.enabled, true);
      await notifier.notify('READY=1');
      await notifier.notify('WATCHDOG=1');
      assert.deepEqual(await socket.done, ['READY=1', 'BARRIER=1', 'WATCHDOG=1', 'BARRIER=1']);
    } finally {
      dir.remove();
    }
  });

  it('sends nothing outside systemd, and takes half the watchdog period systemd sets', async () => {
    const notifier = new SystemdNotifier(undefined, silentLogger());
    assert.equal(notifier.enabled, false);
    await notifier.notify('WATCHDOG=1');
    assert.equal(watchdogIntervalMs('60000000'), 30_000);
    assert.equal(watchdogIntervalMs('500000'), 1000, 'never faster than once a second');
    assert.equal(watchdogIntervalMs(undefined), undefined);
    assert.equal(watchdogIntervalMs('0'), undefined);
    assert.equal(watchdogIntervalMs('soon'), undefined);
  });
});
