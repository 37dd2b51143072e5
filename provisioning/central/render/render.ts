import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../content/index.js';
import { writeAtomic } from '../../render/index.js';
import { clusterSetupCalls, parseNodeAddress } from './cluster.js';
import { localIni, sizing, vmArgs, type CouchNode, type Secrets, type Sizing } from './couchdb.js';
import { NGINX_DEFAULTS, nginxSite, type NginxOptions } from './nginx.js';

export interface CentralRenderOptions {
  /** Where to write (created if missing). */
  out: string;
  serverName: string;
  /** TLS certificate and key (default: certbot's paths for serverName). */
  certificate?: string;
  certificateKey?: string;
  listen?: string;
  /** null: no plain-HTTP listener. */
  httpListen?: string | null;
  adminListen?: string;
  consolePort?: number;
  /** 1 (default) or the cluster's size. */
  nodes?: number;
  /** The cluster's node host names or addresses (default couchdb1, couchdb2…). */
  hosts?: string[];
  /** CouchDB's port on each node. */
  couchPort?: number;
  /** The Erlang cookie (default: generated once and kept in secrets.json). */
  cookie?: string;
  /** Hubs expected (sizes max_jobs). */
  hubs?: number;
  q?: number;
  n?: number;
  maxUploadMB?: number;
  maxBodyMB?: number;
  ratePerAccount?: number;
  burstPerAccount?: number;
  ratePerAddress?: number;
  burstPerAddress?: number;
  loginsPerMinute?: number;
}

export interface CentralRenderReport {
  written: string[];
  /** Whether secrets.json was made now (false: the one there was kept). */
  secretsCreated: boolean;
  sizing: Sizing;
  nodes: CouchNode[];
}

const SERVER_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const LISTEN = /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]|localhost):)?\d{1,5}$/i;
const COOKIE = /^[A-Za-z0-9_-]{16,}$/;

function check(ok: boolean, code: string, message: string): void {
  if (!ok) throw new AppError(2, code, message);
}

function checkOptions(o: CentralRenderOptions): void {
  check(
    SERVER_NAME.test(o.serverName),
    'bad-server-name',
    `--server-name "${o.serverName}" is not a host name: give the name hubs reach central at, for example central.espace-mali.org`
  );
  for (const [flag, v] of [
    ['--listen', o.listen],
    ['--http-listen', o.httpListen],
    ['--admin-listen', o.adminListen],
  ] as const) {
    if (v) check(LISTEN.test(v), 'bad-listen', `${flag} "${v}" is not an nginx listen address: give a port (443) or address:port (127.0.0.1:5985)`);
  }
  if (o.adminListen)
    check(
      /^(127\.|localhost:|\[::1\]:)/.test(o.adminListen),
      'admin-listen-not-loopback',
      `--admin-listen "${o.adminListen}" must be on loopback (127.0.0.1:PORT): it passes every administrator endpoint; reach it through ssh -L`
    );
  const nodes = o.nodes ?? 1;
  check(
    Number.isInteger(nodes) && nodes >= 1 && nodes <= 9,
    'bad-nodes',
    `--nodes ${String(o.nodes)} is not a cluster size: give 1 (one node) or 2 to 9, usually 3`
  );
  check(!(nodes === 2 && (o.n ?? 2) > 1), 'two-node-cluster', '--nodes 2 cannot keep a majority when one node stops: use 3 nodes (or 1)');
  if (o.hosts) {
    check(
      o.hosts.length === nodes,
      'hosts-mismatch',
      `--hosts names ${o.hosts.length} node(s) but --nodes is ${nodes}: give one host per node, for example --nodes 3 --hosts 10.0.0.11,10.0.0.12,10.0.0.13`
    );
    for (const h of o.hosts)
      check(parseNodeAddress(h).host === h, 'bad-host', `--hosts "${h}": give host names or addresses without a port (CouchDB's port is --couch-port)`);
    check(new Set(o.hosts).size === o.hosts.length, 'duplicate-host', `--hosts names a node twice (${o.hosts.join(', ')}): each node needs its own host`);
  }
  if (o.cookie !== undefined)
    check(
      COOKIE.test(o.cookie),
      'bad-cookie',
      '--cookie must be at least 16 letters, digits, dashes or underscores; or leave it out and one is generated once'
    );
  for (const [flag, v, max] of [
    ['--hubs', o.hubs, 100_000],
    ['--q', o.q, 64],
    ['--n', o.n, nodes],
    ['--max-upload-mb', o.maxUploadMB, 4000],
    ['--max-body-mb', o.maxBodyMB, 4000],
    ['--console-port', o.consolePort, 65535],
    ['--couch-port', o.couchPort, 65535],
  ] as const) {
    if (v !== undefined)
      check(Number.isInteger(v) && v >= 1 && v <= max, 'bad-number', `${flag} ${String(v)} is out of range: give a whole number from 1 to ${max}`);
  }
}

function cannotWrite(path: string, e: unknown): never {
  const code = (e as { code?: string }).code ?? (e as Error).message;
  throw new AppError(
    2,
    'cannot-write',
    `cannot write ${path} (${code}): give --out a directory you may write in (or run as root); nothing there was half-written`,
    { cause: e }
  );
}

/** The secrets every node shares, generated the first time and never replaced. */
async function ensureSecrets(out: string, cookie: string | undefined): Promise<{ secrets: Secrets; created: boolean }> {
  const file = join(out, 'secrets.json');
  if (existsSync(file)) {
    let kept: Secrets;
    try {
      kept = JSON.parse(readFileSync(file, 'utf8')) as Secrets;
    } catch (e) {
      throw new AppError(
        2,
        'secrets-unreadable',
        `${file} is not readable JSON (${(e as Error).message}); restore it from your backup — it holds the cluster's uuid, auth secret and cookie, which must not change`
      );
    }
    if (!kept.uuid || !kept.secret || !kept.cookie)
      throw new AppError(
        2,
        'secrets-incomplete',
        `${file} lacks uuid, secret or cookie; restore it from your backup (it is never regenerated over an existing one)`
      );
    if (cookie !== undefined && cookie !== kept.cookie) {
      throw new AppError(
        2,
        'cookie-differs',
        `--cookie differs from the cookie kept in ${file}: the nodes of a running cluster must keep theirs; leave --cookie out (or move ${file} away to make a new cluster)`
      );
    }
    return { secrets: kept, created: false };
  }
  const secrets: Secrets = {
    uuid: randomBytes(16).toString('hex'),
    secret: randomBytes(32).toString('hex'),
    cookie: cookie ?? randomBytes(24).toString('base64url'),
  };
  await writeAtomic(file, JSON.stringify(secrets, null, 2) + '\n', 0o600).catch((e: unknown) => cannotWrite(file, e));
  return { secrets, created: true };
}

/**
 * Writes central's reverse proxy (nginx), each CouchDB node's `local.d/10-espace.ini` and
 * `vm.args`, and for a cluster `cluster-setup.json`. Each file is written whole or not at all;
 * secrets.json is generated once and kept.
 */
export async function renderCentral(given: CentralRenderOptions): Promise<CentralRenderReport> {
  checkOptions(given);
  const out = resolve(given.out);
  const nodesCount = given.nodes ?? 1;
  const cluster = nodesCount > 1;
  const couchPort = given.couchPort ?? 5984;
  const maxUploadMB = given.maxUploadMB ?? NGINX_DEFAULTS.maxUploadMB;
  const hosts = given.hosts ?? (cluster ? Array.from({ length: nodesCount }, (_, i) => `couchdb${i + 1}`) : ['127.0.0.1']);
  // A cluster's nodes listen on every interface (each node's replicator then reaches its own
  // node on 127.0.0.1, and the proxy and the other nodes on its address); firewall the port.
  const nodes: CouchNode[] = hosts.map((host) => ({ host, bindAddress: cluster ? '0.0.0.0' : '127.0.0.1' }));
  const size = sizing(given.hubs ?? 500, nodesCount, { q: given.q, n: given.n });
  const { secrets, created } = await ensureSecrets(out, given.cookie);

  const nginx: NginxOptions = {
    serverName: given.serverName,
    certificate: given.certificate ?? `/etc/letsencrypt/live/${given.serverName}/fullchain.pem`,
    certificateKey: given.certificateKey ?? `/etc/letsencrypt/live/${given.serverName}/privkey.pem`,
    listen: given.listen ?? NGINX_DEFAULTS.listen,
    httpListen: given.httpListen === undefined ? NGINX_DEFAULTS.httpListen : given.httpListen,
    adminListen: given.adminListen ?? NGINX_DEFAULTS.adminListen,
    upstreams: cluster ? hosts.map((h) => `${h.includes(':') ? `[${h}]` : h}:${couchPort}`) : [`127.0.0.1:${couchPort}`],
    consolePort: given.consolePort ?? 5990,
    maxUploadMB,
    maxBodyMB: given.maxBodyMB ?? NGINX_DEFAULTS.maxBodyMB,
    ratePerAccount: given.ratePerAccount ?? NGINX_DEFAULTS.ratePerAccount,
    burstPerAccount: given.burstPerAccount ?? NGINX_DEFAULTS.burstPerAccount,
    ratePerAddress: given.ratePerAddress ?? NGINX_DEFAULTS.ratePerAddress,
    burstPerAddress: given.burstPerAddress ?? NGINX_DEFAULTS.burstPerAddress,
    loginsPerMinute: given.loginsPerMinute ?? NGINX_DEFAULTS.loginsPerMinute,
  };
  const files: [string, string, number][] = [['nginx/espace-central.conf', nginxSite(nginx), 0o644]];
  for (const node of nodes) {
    const dir = cluster ? `nodes/${node.host}/` : 'couchdb/';
    files.push(
      [`${dir}local.d/10-espace.ini`, localIni(node, secrets, size, { port: couchPort, cluster, maxUploadMB }), 0o640],
      [`${dir}vm.args`, vmArgs(node, secrets), 0o640]
    );
  }
  if (cluster) {
    const others = hosts.slice(1).map((h) => (couchPort === 5984 ? h : `${h}:${couchPort}`));
    files.push(['cluster-setup.json', JSON.stringify({ coordinator: hosts[0], calls: clusterSetupCalls(others) }, null, 2) + '\n', 0o644]);
  }
  for (const [path, content, mode] of files) await writeAtomic(join(out, path), content, mode).catch((e: unknown) => cannotWrite(join(out, path), e));
  return { written: [...(created ? ['secrets.json'] : []), ...files.map(([p]) => p)], secretsCreated: created, sizing: size, nodes };
}
