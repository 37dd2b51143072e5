import type { Logger } from '../log/index.js';

/**
 * systemd notifications (READY=1, WATCHDOG=1) to $NOTIFY_SOCKET. Node cannot send on a unix
 * datagram socket, and the npm packages for it need a native build, so the small
 * `systemd-notify` tool sends each message. Because the sender is then a child process, the
 * unit needs `NotifyAccess=all`.
 */
export class SystemdNotifier {
  constructor(
    /** $NOTIFY_SOCKET, or undefined when not started by systemd (then nothing is sent). */
    private readonly socket: string | undefined,
    private readonly log: Logger,
    private readonly command = 'systemd-notify'
  ) {}

  get enabled(): boolean {
    return !!this.socket;
  }

  notify(message: 'READY=1' | 'WATCHDOG=1' | 'STOPPING=1' | `STATUS=${string}`): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.resolve();
    // node:child_process loads at the first notification, not with the hub's start-up modules.
    return import('node:child_process').then(
      ({ execFile }) =>
        new Promise((resolve) => {
          execFile(this.command, [message], { env: { NOTIFY_SOCKET: socket }, timeout: 5000 }, (err, _out, stderr) => {
            if (err) this.log.warn({ err, stderr: stderr.trim(), message }, 'systemd notification failed');
            resolve();
          });
        })
    );
  }
}

/** The watchdog period systemd asks for ($WATCHDOG_USEC), halved as sd_watchdog_enabled advises; undefined when off. */
export function watchdogIntervalMs(watchdogUsec: string | undefined): number | undefined {
  const usec = Number(watchdogUsec);
  if (!watchdogUsec || !Number.isFinite(usec) || usec <= 0) return undefined;
  return Math.max(1000, Math.floor(usec / 1000 / 2));
}
