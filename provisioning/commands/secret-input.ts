import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AppError } from '../../content/index.js';

let stdinLines: string[] | undefined;

async function pipedLines(): Promise<string[]> {
  if (!stdinLines) {
    let text = '';
    for await (const chunk of process.stdin) text += (chunk as Buffer).toString();
    stdinLines = text.split(/\r?\n/);
  }
  return stdinLines;
}

/**
 * Reads a secret without echo from the terminal, or the next line of standard input when it is
 * piped (scripts, tests). Never from argv: the process list and shell history would keep it.
 */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = (await pipedLines()).shift();
    if (line === undefined || line === '') throw new AppError(400, 'no-secret', `${prompt.replace(/:\s*$/, '')} expected on standard input, one per line`);
    return line;
  }
  let muted = false;
  const out = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => {
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  } finally {
    rl.close();
  }
}

/** A new password, typed twice on a terminal. */
export async function readNewPassword(what: string): Promise<string> {
  const first = await readSecret(`${what}: `);
  if (process.stdin.isTTY) {
    const again = await readSecret(`${what} again: `);
    if (again !== first) throw new AppError(400, 'passwords-differ', 'the two passwords differ; nothing was changed, try again');
  }
  return first;
}

/** A value that is not secret (a user name), read the same way. */
export async function readLine(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return readSecret(prompt);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((resolve) => rl.question(prompt, resolve));
  } finally {
    rl.close();
  }
}
