import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaFrontHeaderNames, mediaFrontPublicHeaders, mediaFrontSharedHeaders } from '../../hub/index.js';
import { nginxFrontConfig } from '../../provisioning/index.js';
import { freePort, stopChild } from './hub.js';

/** Debian's nginx: the host's, installed by `make test-deps`. */
export const NGINX_BIN = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

export interface NginxFront {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The Pi's nginx front (provisioning's own configuration) on a free loopback port, with a
 * prefix of its own in `dir`, before the hub at `hubPort` whose store is `dataDir/media` (its
 * public links in `dataDir/media-public`), reporting plays to UDP `hubPort` on loopback.
 * `wrap`: run through another command (the bench's pinning or CPU quota).
 */
export async function startNginxFront(
  dir: string,
  hubPort: number,
  dataDir: string,
  wrap?: (cmd: string, args: string[]) => [string, string[]]
): Promise<NginxFront> {
  if (!NGINX_BIN) throw new Error('nginx is not installed: run "make test-deps"');
  const port = await freePort();
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    nginxFrontConfig({
      listen: `127.0.0.1:${port}`,
      hub: `127.0.0.1:${hubPort}`,
      dataDir,
      headers: mediaFrontHeaderNames(),
      publicHeaders: mediaFrontPublicHeaders(),
      sharedHeaders: mediaFrontSharedHeaders(),
      // As root (CI), the workers read the hub's private data dir as root too, like the hub.
      user: process.getuid?.() === 0 ? 'root' : undefined,
      pid: join(dir, 'nginx.pid'),
      errorLog: join(dir, 'error.log'),
      temp: join(dir, 'tmp'),
    })
  );
  const bare: [string, string[]] = [NGINX_BIN, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf, '-g', 'daemon off;']];
  const [cmd, args] = wrap ? wrap(...bare) : bare;
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(`${url}/health`).then(
      async (r) => (await r.arrayBuffer(), true),
      () => false
    );
    if (up) break;
    if (i > 200) throw new Error(`nginx did not listen on ${url}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}
