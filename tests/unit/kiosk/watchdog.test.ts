import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../hub/log/index.js';
import { SystemdNotifier, watchdogIntervalMs } from '../../../kiosk/watchdog.js';
import { tempDir } from '../../support/hub.js';

/**
 * A unix datagram socket standing where systemd's $NOTIFY_SOCKET would be (Node cannot bind
 * one, Python can): it prints each message it receives, one per line.
 */
function notifySocket(path: string, expected: number) {
  const child = spawn(
    'python3',
    [
      '-c',
      `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(10)
print("ready", flush=True)
for _ in range(int(sys.argv[2])):
    print(s.recv(4096).decode(), flush=True)
`,
      path,
      String(expected),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  let out = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n')) resolve();
    })
  );
  const done = new Promise<string[]>((resolve) => child.once('close', () => resolve(out.split('\n').slice(1).filter(Boolean))));
  return { ready, done };
}

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
