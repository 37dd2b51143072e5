import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finishCluster } from '../../../../provisioning/central/render/index.js';
import { runCli } from '../../../support/cli.js';
import { tempDir } from '../../../support/hub.js';

/** The sections of an ini file: section → key → value (comments dropped). */
function ini(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s;.*$/, '').trim();
    if (!line || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) out[(section = s[1]!)] ??= {};
    else {
      const [k, ...v] = line.split('=');
      out[section]![k!.trim()] = v.join('=').trim();
    }
  }
  return out;
}

/** Every file under dir, relative. */
function files(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

describe('espace central render: CouchDB files, secrets, a cluster', () => {
  let dir: { path: string; remove(): void };
  before(() => {
    dir = tempDir('espace-central-render-');
  });
  after(() => dir.remove());

  it("writes one node's local.ini fragment with what CouchDB 3 reads where it reads it", async () => {
    const out = join(dir.path, 'one');
    const r = await runCli(['central', 'render', '--out', out, '--server-name', 'central.espace-mali.org', '--hubs', '500']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(files(out), ['couchdb/local.d/10-espace.ini', 'couchdb/vm.args', 'nginx/espace-central.conf', 'secrets.json']);
    const conf = ini(readFileSync(join(out, 'couchdb/local.d/10-espace.ini'), 'utf8'));
    assert.equal(conf.chttpd!.require_valid_user, 'true');
    assert.equal(conf.chttpd_auth!.require_valid_user, undefined);
    assert.equal(conf.chttpd!.bind_address, '127.0.0.1');
    assert.equal(conf.attachments!.compressible_types, '');
    assert.ok(Number(conf.replicator!.max_jobs) >= 503, 'every merge job runs at once');
    assert.equal(conf.cluster!.n, '1');
    assert.equal(conf.couchdb!.single_node, 'true');
    const secrets = JSON.parse(readFileSync(join(out, 'secrets.json'), 'utf8')) as { uuid: string; secret: string; cookie: string };
    assert.equal(conf.couchdb!.uuid, secrets.uuid);
    assert.equal(conf.chttpd_auth!.secret, secrets.secret);
    assert.equal(statSync(join(out, 'secrets.json')).mode & 0o777, 0o600);
    assert.equal(statSync(join(out, 'couchdb/local.d/10-espace.ini')).mode & 0o777, 0o640);
    const vm = readFileSync(join(out, 'couchdb/vm.args'), 'utf8');
    assert.match(vm, /^-name couchdb@127\.0\.0\.1$/m);
    assert.match(vm, new RegExp(`^-setcookie ${secrets.cookie}$`, 'm'));
    const site = readFileSync(join(out, 'nginx/espace-central.conf'), 'utf8');
    assert.match(site, /ssl_certificate +\/etc\/letsencrypt\/live\/central\.espace-mali\.org\/fullchain\.pem;/);
    assert.match(site, /limit_req_status 429;/);
  });

  it('keeps the secrets when rendered again, and refuses another cookie', async () => {
    const out = join(dir.path, 'one');
    const before = readFileSync(join(out, 'secrets.json'), 'utf8');
    const ini1 = readFileSync(join(out, 'couchdb/local.d/10-espace.ini'), 'utf8');
    const again = await runCli(['central', 'render', '--out', out, '--server-name', 'central.espace-mali.org', '--hubs', '500']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /secrets\.json kept/);
    assert.equal(readFileSync(join(out, 'secrets.json'), 'utf8'), before);
    assert.equal(readFileSync(join(out, 'couchdb/local.d/10-espace.ini'), 'utf8'), ini1);
    const other = await runCli(['central', 'render', '--out', out, '--server-name', 'central.espace-mali.org', '--cookie', 'another-cookie-0123456789']);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /--cookie differs from the cookie kept in .*secrets\.json.*leave --cookie out/);
    assert.equal(readFileSync(join(out, 'secrets.json'), 'utf8'), before);
    // Written whole or not at all: no temporary file is left behind.
    assert.deepEqual(
      files(out).filter((f) => f.includes('espace-tmp')),
      []
    );
  });

  it('writes each node of a 3-node cluster: vm.args, local.ini with shared secrets, cluster-setup.json; nginx -t passes', async () => {
    const out = join(dir.path, 'cluster');
    const hosts = ['10.0.0.11', '10.0.0.12', '10.0.0.13'];
    const r = await runCli([
      'central',
      'render',
      '--out',
      out,
      '--server-name',
      'central.espace-mali.org',
      '--nodes',
      '3',
      '--hosts',
      hosts.join(','),
      '--cookie',
      'cluster-cookie-0123456789',
      '--hubs',
      '800',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /q=2 n=3/);
    const confs = hosts.map((h) => ini(readFileSync(join(out, 'nodes', h, 'local.d/10-espace.ini'), 'utf8')));
    for (const [i, h] of hosts.entries()) {
      const vm = readFileSync(join(out, 'nodes', h, 'vm.args'), 'utf8');
      assert.match(vm, new RegExp(`^-name couchdb@${h.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(vm, /^-setcookie cluster-cookie-0123456789$/m);
      assert.match(vm, /^-kernel inet_dist_listen_min 9100$/m);
      assert.match(vm, /^-kernel inet_dist_listen_max 9200$/m);
      const c = confs[i]!;
      assert.equal(c.cluster!.q, '2');
      assert.equal(c.cluster!.n, '3');
      assert.equal(c.chttpd!.bind_address, '0.0.0.0');
      assert.equal(c.chttpd!.require_valid_user, 'true');
      assert.equal(c.couchdb!.single_node, undefined);
      assert.ok(Number(c.replicator!.max_jobs) >= 803);
    }
    assert.equal(new Set(confs.map((c) => c.couchdb!.uuid)).size, 1, 'one uuid for the cluster');
    assert.equal(new Set(confs.map((c) => c.chttpd_auth!.secret)).size, 1, 'one auth secret for the cluster');
    const setup = JSON.parse(readFileSync(join(out, 'cluster-setup.json'), 'utf8')) as {
      coordinator: string;
      calls: { body: { action: string; remote_node?: string; host?: string } }[];
    };
    assert.equal(setup.coordinator, '10.0.0.11');
    assert.deepEqual(
      setup.calls.map((c) => [c.body.action, c.body.remote_node ?? c.body.host ?? '']),
      [
        ['enable_cluster', ''],
        ['enable_cluster', '10.0.0.12'],
        ['add_node', '10.0.0.12'],
        ['enable_cluster', '10.0.0.13'],
        ['add_node', '10.0.0.13'],
        ['finish_cluster', ''],
      ]
    );
    assert.doesNotMatch(readFileSync(join(out, 'cluster-setup.json'), 'utf8'), /admin-test|password": "[^$]/, 'no password in the file, only placeholders');
    // nginx accepts the site (the certificate paths point at a test pair).
    const site = readFileSync(join(out, 'nginx/espace-central.conf'), 'utf8');
    for (const h of hosts) assert.match(site, new RegExp(`server ${h.replace(/\./g, '\\.')}:5984;`));
    const key = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=central.espace-mali.org',
      '-keyout',
      join(dir.path, 'k.pem'),
      '-out',
      join(dir.path, 'c.pem'),
    ]);
    assert.equal(key.status, 0, String(key.stderr));
    writeFileSync(
      join(out, 'nginx/espace-central.conf'),
      site
        .replaceAll('/etc/letsencrypt/live/central.espace-mali.org/fullchain.pem', join(dir.path, 'c.pem'))
        .replaceAll('/etc/letsencrypt/live/central.espace-mali.org/privkey.pem', join(dir.path, 'k.pem'))
    );
    writeFileSync(
      join(dir.path, 'nginx.conf'),
      `pid ${dir.path}/nginx.pid;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  include ${out}/nginx/espace-central.conf;\n}\n`
    );
    const t = spawnSync('nginx', ['-t', '-p', dir.path, '-e', join(dir.path, 'error.log'), '-c', join(dir.path, 'nginx.conf')], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
  });

  it('says what is wrong and how to fix it, and exits non-zero', async () => {
    const out = join(dir.path, 'bad');
    const cases: [string[], RegExp][] = [
      [['--server-name', 'not a name'], /--server-name "not a name" is not a host name: .*for example central\.espace-mali\.org/],
      [['--server-name', 'c.example.org', '--nodes', '2'], /--nodes 2 cannot keep a majority.*use 3 nodes/],
      [['--server-name', 'c.example.org', '--nodes', 'three'], /--nodes NaN is not a cluster size: give 1 .* or 2 to 9/],
      [['--server-name', 'c.example.org', '--nodes', '3', '--hosts', 'a,b'], /--hosts names 2 node\(s\) but --nodes is 3/],
      [['--server-name', 'c.example.org', '--admin-listen', '0.0.0.0:5985'], /--admin-listen "0\.0\.0\.0:5985" must be on loopback/],
      [['--server-name', 'c.example.org', '--cookie', 'short'], /--cookie must be at least 16/],
      [['--server-name', 'c.example.org', '--n', '3'], /--n 3 is out of range: give a whole number from 1 to 1/],
    ];
    writeFileSync(join(dir.path, 'a-file'), '');
    cases.push([
      ['--server-name', 'c.example.org', '--out', join(dir.path, 'a-file', 'x')],
      /cannot write .*a-file\/x\/secrets\.json \(ENOTDIR\): give --out a directory you may write in/,
    ]);
    for (const [args, message] of cases) {
      const r = await runCli(['central', 'render', '--out', out, ...args]);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});

describe('espace central setup --cluster / --single-node: the _cluster_setup calls', () => {
  let server: Server;
  let url: string;
  let state = 'cluster_disabled';
  let failAddNode = false;
  const calls: { method: string; path: string; auth: string; body: Record<string, unknown> | null }[] = [];

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        calls.push({
          method: req.method!,
          path: req.url!,
          auth: req.headers.authorization ?? '',
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : null,
        });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') return void res.end(JSON.stringify({ state }));
        const action = (JSON.parse(raw) as { action: string }).action;
        if (action === 'add_node' && failAddNode) {
          res.statusCode = 500;
          return void res.end('{"error":"error","reason":"nodedown"}');
        }
        if (action === 'finish_cluster') state = 'cluster_finished';
        if (action === 'enable_single_node') state = 'single_node_enabled';
        res.statusCode = 201;
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((ok) => server.close(() => ok())));

  const admin = { username: 'admin', password: 'admin-secret' };

  it('enables clustering on each node, adds it, then finishes; once', async () => {
    const r = await finishCluster(url, admin, ['couchdb2', '10.0.0.13:5985']);
    assert.equal(r.before, 'cluster_disabled');
    assert.deepEqual(r.sent, [
      'enable_cluster',
      'enable_cluster couchdb2',
      'add_node couchdb2',
      'enable_cluster 10.0.0.13',
      'add_node 10.0.0.13',
      'finish_cluster',
    ]);
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.path}`),
      ['GET /_cluster_setup', ...Array.from({ length: 6 }, () => 'POST /_cluster_setup')]
    );
    assert.ok(calls.every((c) => c.auth === 'Basic ' + Buffer.from('admin:admin-secret').toString('base64')));
    const posts = calls.filter((c) => c.method === 'POST').map((c) => c.body!);
    assert.deepEqual(posts[0], { action: 'enable_cluster', bind_address: '0.0.0.0', username: 'admin', password: 'admin-secret', node_count: 3 });
    assert.deepEqual(posts[3], {
      action: 'enable_cluster',
      bind_address: '0.0.0.0',
      username: 'admin',
      password: 'admin-secret',
      port: 5985,
      node_count: 3,
      remote_node: '10.0.0.13',
      remote_current_user: 'admin',
      remote_current_password: 'admin-secret',
    });
    assert.deepEqual(posts[4], { action: 'add_node', host: '10.0.0.13', port: 5985, username: 'admin', password: 'admin-secret' });
    calls.length = 0;
    const again = await finishCluster(url, admin, ['couchdb2', '10.0.0.13:5985']);
    assert.deepEqual(again.sent, []);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['GET']
    );
  });

  it('a single node: enable_single_node', async () => {
    state = 'cluster_disabled';
    calls.length = 0;
    const r = await finishCluster(url, admin, []);
    assert.deepEqual(r.sent, ['enable_single_node']);
    assert.equal(calls[1]!.body!.action, 'enable_single_node');
    assert.deepEqual((await finishCluster(url, admin, [])).sent, []);
  });

  it('says which node failed and what to check', async () => {
    state = 'cluster_disabled';
    failAddNode = true;
    await assert.rejects(
      finishCluster(url, admin, ['couchdb2']),
      /could not add_node for couchdb2 \(POST \/_cluster_setup\): nodedown .*check that couchdb2 runs CouchDB with the same administrator password and the cookie of vm\.args .*then run setup again/
    );
    failAddNode = false;
  });

  it('refuses a bad node address before any call, and --cluster with --single-node', async () => {
    calls.length = 0;
    await assert.rejects(finishCluster(url, admin, ['couchdb2', 'bad host:x']), /"bad host:x" is not a node address: .*for example/);
    assert.equal(calls.length, 0);
    const env = { ESPACE_CENTRAL_ADMIN_USER: 'admin', ESPACE_CENTRAL_ADMIN_PASSWORD: 'admin-secret' };
    const both = await runCli(['central', 'setup', '--url', url, '--cluster', 'couchdb2', '--single-node'], { env });
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /give either --cluster NODE… \(a cluster\) or --single-node \(one node\), not both/);
    const bad = await runCli(['central', 'setup', '--url', url, '--cluster', 'bad host'], { env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /"bad host" is not a node address/);
    assert.equal(calls.length, 0);
  });
});
