import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../../hub/config/index.js';
import { findElectron } from '../../../kiosk/index.js';
import { startTestHub, tempDir } from '../../support/hub.js';
import { espaceBin } from '../../support/espace-bin.js';

const root = projectRoot();
// Run from TypeScript while developing, from dist/ under `make test`.
const cli = import.meta.url.endsWith('.ts') ? ['--import', import.meta.resolve('tsx'), join(root, 'provisioning', 'cli.ts')] : [espaceBin(root)];
const isRoot = process.getuid?.() === 0;
// As root, the launch itself is tried as "nobody": the kiosk refuses root.
const asUser = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function espace(args: string[], env: Record<string, string> = {}, prefix: string[] = [], timeoutMs = 30_000): Promise<Run> {
  const dir = tempDir('espace-kiosk-cli-');
  // Another user cannot run tsx's compiler binary: that run uses the bundle.
  const program = prefix.length > 0 ? [espaceBin(root)] : cli;
  const [cmd, ...rest] = [...prefix, process.execPath, ...program, ...args];
  const child = spawn(cmd!, rest, {
    cwd: dir.path,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, TMPDIR: dir.path, ESPACE_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      if (prefix.length > 0) spawnSync('chmod', ['-R', 'u+rwX', dir.path]);
      dir.remove();
      resolve({ code, stdout, stderr });
    })
  );
}

const noStackTrace = (text: string) => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');

describe('espace kiosk', () => {
  const electron = findElectron(process.env.ELECTRON_PATH);

  it(
    electron.found
      ? 'starts the real kiosk under Xvfb and shows the hub (smoke test)'
      : 'says the Electron binary is missing, and how to install it, without a stack trace',
    async () => {
      if (!electron.found) {
        // The real situation on a machine where Electron's download could not run.
        const run = await espace(['kiosk']);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /^espace: Electron binary missing: /);
        assert.match(run.stderr, /npm rebuild electron/);
        assert.match(run.stderr, /ELECTRON_PATH=/);
        noStackTrace(run.stderr);
        const fuses = await espace(['kiosk', 'fuses']);
        assert.equal(fuses.code, 1);
        assert.match(fuses.stderr, /Electron binary missing/);
        return;
      }
      // An Electron binary is here: the real kiosk on a virtual screen, showing the real hub.
      const hub = await startTestHub({ host: '127.0.0.1' });
      const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x720x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
      const shots = tempDir('espace-kiosk-shot-');
      const shot = join(shots.path, 'kiosk.xwd');
      try {
        const display = await new Promise<string>((resolve) => xvfb.stdout.once('data', (c: Buffer) => resolve(`:${c.toString().trim()}`)));
        const kiosk = espace(
          ['kiosk'],
          { DISPLAY: display, ELECTRON_PATH: electron.path, ESPACE_KIOSK_HUB_URL: hub.url, ESPACE_LOG_LEVEL: 'info' },
          asUser,
          20_000
        );
        await new Promise((r) => setTimeout(r, 12_000));
        const xwd = spawnSync('xwd', ['-root', '-silent', '-display', display, '-out', shot]);
        assert.equal(xwd.status, 0, 'screenshot taken');
        assert.ok(statSync(shot).size > 1280 * 720, 'a full screen image');
        const run = await kiosk;
        assert.match(run.stderr, /"msg":"kiosk started"/);
      } finally {
        xvfb.kill();
        shots.remove();
        await hub.stop();
      }
    }
  );

  it('refuses an ELECTRON_PATH that is not an executable', async () => {
    const dir = tempDir('espace-kiosk-fake-');
    try {
      const notExec = join(dir.path, 'electron');
      writeFileSync(notExec, 'not a program');
      const run = await espace(['kiosk'], { ELECTRON_PATH: notExec });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /Electron binary missing: ELECTRON_PATH=.*electron is not an executable file/);
      noStackTrace(run.stderr);
    } finally {
      dir.remove();
    }
  });

  it('stops on a wrong kiosk setting before starting Electron', async () => {
    const run = await espace(['kiosk'], { ESPACE_KIOSK_IDLE_SECONDS: '3', ELECTRON_PATH: '/bin/echo' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /kiosk\.idleSeconds/);
    assert.equal(run.stdout, '', 'Electron was not started');
  });

  it(
    isRoot ? 'refuses to run as root, and starts Electron with the kiosk entry as another user' : 'starts Electron with the kiosk entry as this user',
    async () => {
      assert.ok(existsSync(join(root, 'dist', 'kiosk', 'electron-entry.js')), 'the kiosk is built (make build)');
      if (isRoot) {
        const run = await espace(['kiosk'], { ELECTRON_PATH: '/bin/echo', WAYLAND_DISPLAY: 'wayland-0' });
        assert.equal(run.code, 1);
        assert.match(run.stderr, /never runs as root/);
        assert.equal(run.stdout, '', 'Electron was not started');
      }
      const headless = await espace(['kiosk'], { ELECTRON_PATH: '/bin/echo' }, asUser);
      assert.equal(headless.code, 1);
      assert.match(headless.stderr, /^espace: no graphical session to show the kiosk in \(neither WAYLAND_DISPLAY nor DISPLAY is set\)/);
      assert.equal(headless.stdout, '', 'Electron was not started');
      // /bin/echo stands in for the Electron binary: it prints the command line it was given.
      const run = await espace(['kiosk'], { ELECTRON_PATH: '/bin/echo', WAYLAND_DISPLAY: 'wayland-0' }, asUser);
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      assert.equal(run.stdout.trim(), `--ozone-platform-hint=auto ${join(root, 'dist', 'kiosk', 'electron-entry.js')}`);
    }
  );
});
