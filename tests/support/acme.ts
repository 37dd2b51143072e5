import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './hub.js';

/** A TCP port free on loopback now (named and pebble take fixed ports from their configuration). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, timeoutMs: number, child: ChildProcess, log: () => string, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${log()}`);
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`${what} did not start within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface TestNamed {
  /** `127.0.0.1:<port>`, for nsupdate, pebble and the resolver. */
  server: string;
  port: number;
  zone: string;
  /** The TSIG key file (tsig-keygen) the zone accepts updates signed with. */
  keyFile: string;
  /** The TXT values published at a name now. */
  txt(name: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Debian's BIND as the authoritative server of a test zone on a loopback port, taking RFC 2136
 * updates of TXT records signed with a TSIG key of its own (temp dir, removed on stop).
 */
export async function startNamed(zone: string): Promise<TestNamed> {
  // named and tsig-keygen live in /usr/sbin, outside a user's PATH.
  const env = { ...process.env, PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` };
  const dir = tempDir('espace-named-');
  const port = await freePort();
  const keyName = `espace-acme-${process.pid}`;
  const keyFile = join(dir.path, 'tsig.key');
  writeFileSync(keyFile, execFileSync('tsig-keygen', ['-a', 'hmac-sha256', keyName], { env }));
  writeFileSync(join(dir.path, 'zone.db'), `$TTL 60\n@ IN SOA ns1.${zone}. hostmaster.${zone}. ( 1 60 60 600 5 )\n@ IN NS ns1.${zone}.\nns1 IN A 127.0.0.1\n`);
  writeFileSync(
    join(dir.path, 'named.conf'),
    `include "${keyFile}";
options {
  directory "${dir.path}";
  pid-file "${join(dir.path, 'named.pid')}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  allow-query { any; };
};
controls { };
zone "${zone}" {
  type primary;
  file "${join(dir.path, 'zone.db')}";
  update-policy { grant ${keyName}. subdomain ${zone}. TXT; };
};
`
  );
  let log = '';
  const child = spawn('named', ['-g', '-c', join(dir.path, 'named.conf')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  try {
    await until(
      'named',
      15_000,
      child,
      () => log,
      async () => (await resolver.resolveSoa(zone)) ?? undefined
    );
  } catch (e) {
    await stopChild(child);
    dir.remove();
    throw e;
  }
  return {
    server: `127.0.0.1:${port}`,
    port,
    zone,
    keyFile,
    txt: async (name) => (await resolver.resolveTxt(name).catch(() => [] as string[][])).map((p) => p.join('')),
    async stop() {
      await stopChild(child);
      dir.remove();
    },
  };
}

export interface TestPebble {
  directoryUrl: string;
  /** The CA pebble's own HTTPS is signed with (give it as --acme-ca). */
  serverCaFile: string;
  serverCa: string;
  /** The root pebble issues under (changes with each start), from its management interface. */
  root(): Promise<string>;
  stop(): Promise<void>;
}

function httpsText(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/**
 * Debian's pebble (the ACME test server) on free loopback ports, checking DNS-01 through
 * `dnsServer`, without its random sleeps and nonce rejections. PEBBLE_AUTHZREUSE=0 is asked, but
 * Debian's pebble 2.4 may still hand back a valid authorization for a name it saw: a test that
 * must see the DNS-01 record go through uses a name never ordered before.
 */
export async function startPebble(dnsServer: string): Promise<TestPebble> {
  const dir = tempDir('espace-pebble-');
  const [acmePort, mgmtPort, httpPort, tlsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const certFile = join(dir.path, 'cert.pem');
  const keyFile = join(dir.path, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=pebble test server',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' }
  );
  const config = join(dir.path, 'pebble.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${mgmtPort}`,
        certificate: certFile,
        privateKey: keyFile,
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    })
  );
  const serverCa = readFileSync(certFile, 'utf8');
  let log = '';
  const child = spawn('pebble', ['-config', config, '-dnsserver', dnsServer], {
    cwd: dir.path,
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  try {
    await until(
      'pebble',
      15_000,
      child,
      () => log,
      async () => ((await httpsText(directoryUrl, serverCa)).status === 200 ? true : undefined)
    );
  } catch (e) {
    await stopChild(child);
    dir.remove();
    throw e;
  }
  return {
    directoryUrl,
    serverCaFile: certFile,
    serverCa,
    async root() {
      const r = await httpsText(`https://127.0.0.1:${mgmtPort}/roots/0`, serverCa);
      if (r.status !== 200) throw new Error(`pebble's /roots/0 answered ${r.status}`);
      return r.body;
    },
    async stop() {
      await stopChild(child);
      dir.remove();
    },
  };
}
