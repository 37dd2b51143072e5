import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { renderCentral } from '../../provisioning/central/render/index.js';
import type { TestCentral } from './central.js';
import { freePort, tempDir } from './hub.js';
import { testCa } from './tls.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A server certificate for localhost and 127.0.0.1 signed by the test CA; the key as PKCS#8 PEM. */
async function serverCertificate(): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const ca = await testCa();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '0a',
    subject: 'CN=localhost',
    issuer: `CN=${ca.name}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { caPem: ca.certPem, certPem: `${leaf.toString('pem')}\n${ca.certPem}\n`, keyPem };
}

export interface CentralNginx {
  /** The HTTPS port (server name localhost). */
  port: number;
  /** The loopback admin listener (`/_all_dbs`, `_replicator`…). */
  adminPort: number;
  /** The test CA's certificate, to trust the proxy. */
  caPem: string;
  /** Where the CA, the rendered files and nginx's logs are. */
  dir: string;
  /** `nginx -t`'s output, which must say the configuration is sound. */
  check: { status: number | null; stderr: string };
  stop(): Promise<void>;
}

/**
 * Debian's nginx on loopback in front of a test central, with what `espace central render`
 * writes (TLS with a test CA, gzip, the refusals), checked by `nginx -t` and listening.
 */
export async function startCentralNginx(central: TestCentral, opts: { consolePort?: number } = {}): Promise<CentralNginx> {
  const dir = tempDir('espace-proxy-');
  // nginx's workers run as nobody: they must reach the temp paths.
  chmodSync(dir.path, 0o755);
  const tls = await serverCertificate();
  writeFileSync(join(dir.path, 'ca.pem'), tls.caPem);
  writeFileSync(join(dir.path, 'cert.pem'), tls.certPem);
  writeFileSync(join(dir.path, 'key.pem'), tls.keyPem, { mode: 0o600 });
  const port = await freePort();
  const adminPort = await freePort();
  await renderCentral({
    out: join(dir.path, 'out'),
    serverName: 'localhost',
    certificate: join(dir.path, 'cert.pem'),
    certificateKey: join(dir.path, 'key.pem'),
    listen: `127.0.0.1:${port}`,
    httpListen: null,
    adminListen: `127.0.0.1:${adminPort}`,
    couchPort: central.port,
    consolePort: opts.consolePort ?? (await freePort()),
    maxBodyMB: 4,
    maxUploadMB: 8,
  });
  // The rest of Debian's nginx.conf, with paths of the test's own.
  writeFileSync(
    join(dir.path, 'nginx.conf'),
    `pid ${dir.path}/nginx.pid;
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${dir.path}/access.log;
  client_body_temp_path ${dir.path}/tmp-body;
  proxy_temp_path ${dir.path}/tmp-proxy;
  fastcgi_temp_path ${dir.path}/tmp-fastcgi;
  uwsgi_temp_path ${dir.path}/tmp-uwsgi;
  scgi_temp_path ${dir.path}/tmp-scgi;
  include ${dir.path}/out/nginx/espace-central.conf;
}
`
  );
  const args = ['-p', dir.path, '-e', join(dir.path, 'error.log'), '-c', join(dir.path, 'nginx.conf')];
  const t = spawnSync('nginx', [...args, '-t'], { encoding: 'utf8' });
  const check = { status: t.status, stderr: t.stderr };
  let nginx: ChildProcess | undefined = undefined;
  const stop = async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((ok) => nginx!.once('exit', ok));
      nginx.kill('SIGTERM');
      await exited;
    }
    dir.remove();
  };
  if (t.status !== 0) return { port, adminPort, caPem: tls.caPem, dir: dir.path, check, stop };
  nginx = spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const until = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((ok) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        ok(true);
      });
      s.on('error', () => ok(false));
    });
    if (up) break;
    if (Date.now() > until) {
      const log = readFileSync(join(dir.path, 'error.log'), 'utf8');
      await stop();
      throw new Error(`nginx did not listen: ${log}`);
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return { port, adminPort, caPem: tls.caPem, dir: dir.path, check, stop };
}
