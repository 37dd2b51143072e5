import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The root shell the qemu test image runs on its second serial port (tests/support/image-disk.sh),
 * reached through qemu's unix socket: commands in, their output and exit status out. Each command's
 * output is framed by markers printed with printf, so the tty's echo of the command line itself
 * never matches them.
 */
export class VmShell {
  private buffer = '';
  private n = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (b: Buffer) => (this.buffer += b.toString().replace(/\r/g, '')));
  }

  /** Connects, then waits until the shell answers (it starts with systemd's multi-user target). */
  static async open(path: string, timeoutMs: number): Promise<VmShell> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(path, () => resolve(s));
      s.once('error', reject);
    });
    const shell = new VmShell(socket);
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        await shell.run('stty -echo', 3000);
        return shell;
      } catch (e) {
        if (Date.now() > end)
          throw new Error(`no root shell on the VM's second serial port within ${timeoutMs / 1000} s: ${(e as Error).message}`, { cause: e });
      }
    }
  }

  /** Runs one shell command line in the VM; its output (stdout and stderr) and exit status. */
  async run(command: string, timeoutMs = 60_000): Promise<{ code: number; out: string }> {
    const n = ++this.n;
    const end = new RegExp(`@@B${n}\\n([\\s\\S]*?)@@E${n} (\\d+)@@`);
    this.socket.write(`printf '@@%s\\n' B${n}; { ${command}\n} 2>&1; printf '@@E%s %s@@\\n' ${n} $?\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = end.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return { code: Number(m[2]), out: m[1] ?? '' };
      }
      if (Date.now() > deadline) throw new Error(`no answer to "${command}" within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
