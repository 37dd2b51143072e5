import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { projectRoot } from '../../../../content/boot.js';
import { deferredLogger, loadLogger } from '../../../../content/log/index.js';
import { hubEnv, tempDir } from '../../../support/hub.js';

const require = createRequire(import.meta.url);
const logModule = pathToFileURL(join(projectRoot(), 'dist/content/log/index.js')).href;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

/** Runs an ES module `body` with deferredLogger and loadLogger imported: its exit, and the JSON lines it wrote on stderr. */
function run(body: string): Promise<Run> {
  const code = `import { deferredLogger, loadLogger } from ${JSON.stringify(logModule)};\n${body}`;
  return runCommand(process.execPath, ['--input-type=module', '-e', code], { PATH: process.env.PATH ?? '' });
}

function runCommand(cmd: string, args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) =>
    child.once('close', (code, signal) =>
      resolve({
        code,
        signal,
        stderr,
        lines: stderr
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      })
    )
  );
}

const msgs = (r: Run) => r.lines.map((l) => l.msg);

// Lines before pino loads: a level below the logger's (dropped), a child's bindings, an error, a secret.
const EARLY = `
const log = deferredLogger('info');
log.debug('not at this level');
log.info('one');
const child = log.child({ room: 'catalog' });
child.warn({ password: 'hunter2', n: 2 }, 'two');
child.error({ err: new Error('disk on fire') }, 'three');
`;

/**
 * `espace start`'s logger (content/log, deferredLogger) loads pino only once the hub's first
 * search can be answered: the lines logged before are kept and written then, with their own
 * time, or when the process ends in any way, so a failed start's lines are never lost.
 */
describe('a logger that loads pino later', () => {
  it('does not load pino until asked, and answers its level meanwhile', () => {
    const pinoLoaded = () => Object.keys(require.cache).some((p) => p.includes('/node_modules/pino/pino.js'));
    const log = deferredLogger('warn');
    log.child({ room: 'x' }).error('kept');
    assert.equal(log.level, 'warn');
    assert.equal(log.isLevelEnabled('info'), false);
    assert.equal(log.isLevelEnabled('error'), true);
    assert.equal(pinoLoaded(), false, 'pino not loaded by logging');
    loadLogger(log);
    assert.ok(pinoLoaded());
    assert.equal(typeof log.bindings, 'function', "pino's own logger behind it now");
  });

  it('writes the kept lines when loaded, in order, with their time, bindings, serialised error and redaction, as pino does', async () => {
    const r = await run(`${EARLY}
const t = Date.now(); while (Date.now() - t < 30);
loadLogger(log);
child.info('four');
log.child({ room: 'sync' }).info('five');
`);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(msgs(r), ['one', 'two', 'three', 'four', 'five']);
    const [one, two, three, four, five] = r.lines as [Record<string, unknown>, ...Record<string, unknown>[]];
    assert.equal(one.level, 30);
    assert.equal(one.name, 'espace');
    assert.equal(two!.room, 'catalog');
    assert.equal(two!.password, '***');
    assert.equal(two!.n, 2);
    assert.equal((three!.err as { message: string; stack: string }).message, 'disk on fire');
    assert.match((three!.err as { stack: string }).stack, /Error: disk on fire/);
    assert.equal(four!.room, 'catalog');
    assert.equal(five!.room, 'sync');
    assert.ok((four!.time as number) - (one.time as number) >= 30, 'the kept lines have the time they were logged at');
  });

  it('writes the kept lines when the process throws before loading', async () => {
    const r = await run(`${EARLY}\nthrow new Error('start failed');`);
    assert.equal(r.code, 1);
    assert.deepEqual(msgs(r), ['one', 'two', 'three']);
    assert.match(r.stderr, /start failed/);
  });

  it('writes the kept lines on process.exit and at the end of the event loop', async () => {
    const exited = await run(`${EARLY}\nprocess.exit(3);`);
    assert.equal(exited.code, 3);
    assert.deepEqual(msgs(exited), ['one', 'two', 'three']);
    const ended = await run(EARLY);
    assert.equal(ended.code, 0);
    assert.deepEqual(msgs(ended), ['one', 'two', 'three']);
  });

  it('writes the kept lines on SIGTERM, SIGINT or SIGHUP nobody handles, and the process still ends by that signal', async () => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      const r = await run(`${EARLY}\nsetInterval(() => undefined, 1000);\nprocess.kill(process.pid, '${signal}');`);
      assert.equal(r.signal, signal, r.stderr);
      assert.deepEqual(msgs(r), ['one', 'two', 'three'], signal);
    }
  });

  it('leaves a signal to whoever else handles it (a graceful stop)', async () => {
    const r = await run(`${EARLY}
const keep = setInterval(() => undefined, 1000);
process.once('SIGTERM', () => { log.info('stopping'); clearInterval(keep); });
process.kill(process.pid, 'SIGTERM');
`);
    assert.equal(r.signal, null);
    assert.equal(r.code, 0);
    assert.deepEqual(msgs(r), ['one', 'two', 'three', 'stopping']);
  });

  it('espace start that fails writes every line it logged before saying why', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    const dir = tempDir();
    try {
      const r = await runCommand(process.execPath, [join(projectRoot(), 'dist/provisioning/cli.js'), 'start'], hubEnv(dir.path, { ESPACE_PORT: String(port) }));
      assert.equal(r.code, 1, r.stderr);
      assert.ok(
        r.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('trustDemoKey is on')),
        r.stderr
      );
      const why = r.stderr.indexOf('espace: ');
      assert.ok(r.stderr.indexOf('trustDemoKey is on') < why, 'the lines kept come before the sentence saying why');
      assert.match(r.stderr.slice(why), /EADDRINUSE/);
    } finally {
      busy.close();
      dir.remove();
    }
  });
});
