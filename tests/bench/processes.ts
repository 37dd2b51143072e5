import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Starts a helper process that prints "port N" and returns it once listening. */
export async function spawnWithPort(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<{ child: ChildProcess; port: number; stop(): Promise<void> }> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}`)));
  });
  return {
    child,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return void resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
