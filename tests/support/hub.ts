import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { COMPILE_CACHE_DIR, HUB_MALLOC_ENV, hubNodeFlags, loadConfig, type Config } from '../../hub/config/index.js';
import { createLogger } from '../../hub/log/index.js';
import { startHub, type RunningHub } from '../../hub/main.js';
import { espaceBin } from './espace-bin.js';

export function tempDir(prefix = 'espace-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Stops a child process with SIGTERM; resolves once it has exited (at once if it had). */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      ok();
      return;
    }
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

/** A loopback port nobody listens on (free a moment ago). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A test configuration: loopback, port 0, a temporary data dir, no mDNS, no sync timer. */
export function testConfig(dataDir: string, overrides: Record<string, unknown> = {}): Config {
  // Test hubs are demo hubs (trusting the demo key) unless a test says otherwise.
  return loadConfig({
    env: {},
    demo: true,
    overrides: {
      dataDir,
      host: '127.0.0.1',
      port: 0,
      mdns: false,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
      seedDemo: false,
      ...overrides,
      sync: { enabled: false, ...(overrides.sync ?? {}) },
    },
  });
}

export interface TestHub extends RunningHub {
  dataDir: string;
  /** Stops the hub and removes its data dir. */
  stop(): Promise<void>;
}

/** The real hub, in this process, on a free loopback port with a temporary data dir. */
export async function startTestHub(overrides: Record<string, unknown> = {}, dataDir?: string): Promise<TestHub> {
  const dir = dataDir ? { path: dataDir, remove: () => {} } : tempDir();
  const config = testConfig(dir.path, overrides);
  const hub = await startHub(config, createLogger(config.logLevel));
  return {
    ...hub,
    dataDir: dir.path,
    async stop() {
      await hub.close();
      dir.remove();
    },
  };
}

export interface HubProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** kill -9: no clean shutdown, like a power cut of the process. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Node that spawned hubs run with: ESPACE_HUB_NODE when set (`make bench HUB_NODE=image`
 * runs them on the Pi image's Node, tests/bench/hub-node.sh), else this process's own.
 */
export function hubNode(): string {
  return process.env.ESPACE_HUB_NODE || process.execPath;
}

/** The real hub as a child process (`espace start`), for kill -9 tests. */
export interface SpawnOptions {
  /** Pi-like limits: pin to one CPU with taskset, and the V8 flags the systemd unit gives the hub (`hubNodeFlags`). */
  pin?: { cpu: number; heapMB: number };
  /** Runs the command through another (the bench's CPU quota joins a cgroup first). */
  wrap?: (cmd: string, args: string[]) => [string, string[]];
  /** The `espace` bundle to run (default: this tree's, espaceBin()). */
  bin?: string;
}

/** The environment of a hub spawned on loopback for a test: `dataDir`, a free port, no mDNS, demo seeding or sync; then `env`. */
export function hubEnv(dataDir: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    ESPACE_DATA_DIR: dataDir,
    ESPACE_HOST: '127.0.0.1',
    ESPACE_PORT: '0',
    ESPACE_MDNS: 'false',
    ESPACE_SEED_DEMO: 'false',
    ESPACE_SYNC_ENABLED: 'false',
    ESPACE_LOG_LEVEL: 'info',
    ...env,
  };
}

/**
 * The port a spawned `espace start` listens on: it prints its addresses on stdout once listening,
 * whatever the log level. If it exits first or takes longer than `timeoutMs`, it is killed and the
 * promise rejects with the end of its stderr.
 */
export function waitForListening(child: ChildProcessByStdio<null, Readable, Readable>, timeoutMs: number): Promise<number> {
  let stderr = '';
  const onErr = (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  };
  child.stderr.on('data', onErr);
  return new Promise<number>((resolve, reject) => {
    let out = '';
    const done = () => {
      clearTimeout(timer);
      child.stdout.off('data', onOut);
      child.stderr.off('data', onErr);
      child.off('exit', onExit);
    };
    const fail = (why: string) => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`${why}: ${stderr}`));
    };
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        done();
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null) => fail(`hub exited with ${code} before listening`);
    const timer = setTimeout(() => fail(`hub did not listen in ${timeoutMs / 1000} s`), timeoutMs);
    child.stdout.on('data', onOut);
    child.once('exit', onExit);
  });
}

/** The environment the systemd unit gives the hub on a Pi (malloc's settings, the compile cache), for the bench's Pi-like runs. */
export function unitEnv(dataDir: string): Record<string, string> {
  return { ...HUB_MALLOC_ENV, NODE_COMPILE_CACHE: join(dataDir, COMPILE_CACHE_DIR) };
}

export async function spawnHub(dataDir: string, env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<HubProcess> {
  const nodeArgs = [options.bin ?? espaceBin(), 'start'];
  const [bare, bareArgs]: [string, string[]] = options.pin
    ? ['taskset', ['-c', String(options.pin.cpu), hubNode(), ...hubNodeFlags(options.pin.heapMB), ...nodeArgs]]
    : [hubNode(), nodeArgs];
  const [cmd, args] = options.wrap ? options.wrap(bare, bareArgs) : [bare, bareArgs];
  const child = spawn(cmd, args, {
    env: hubEnv(dataDir, {
      ...(options.pin ? unitEnv(dataDir) : {}),
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await waitForListening(child, 30_000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
