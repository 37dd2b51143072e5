import { spawn } from 'node:child_process';

/**
 * A unix datagram socket standing where systemd's $NOTIFY_SOCKET would be (Node cannot bind
 * one, Python can): it collects each message it receives, `expected` of them or what came
 * within 20 s.
 */
export function notifySocket(path: string, expected: number): { ready: Promise<void>; done: Promise<string[]>; received: () => string[] } {
  const child = spawn(
    'python3',
    [
      '-c',
      `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
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
  const lines = () => out.split('\n').slice(1).filter(Boolean);
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n')) resolve();
    })
  );
  const done = new Promise<string[]>((resolve) => child.once('close', () => resolve(lines())));
  return { ready, done, received: lines };
}
