import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AppError } from '../../content/index.js';
import {
  configBlock,
  enrollHubs,
  finishCluster,
  NGINX_DEFAULTS,
  renderCentral,
  loadConsoleConfig,
  startConsole,
  migrateCentral,
  purgeErasures,
  putUser,
  removeHub,
  removeUser,
  setupCentral,
  startStandInCentral,
  type Credentials,
  type SetupReport,
} from '../central/index.js';
import { registerCommunity } from './community.js';
import { registerCentralTls } from './central-tls.js';
import { registerGrants } from './grants.js';
import { readNewPassword } from './secret-input.js';

/** Admin credentials from ESPACE_CENTRAL_ADMIN_USER/PASSWORD, else asked on the terminal — never from argv. */
export async function adminCredentials(): Promise<Credentials> {
  const username = process.env.ESPACE_CENTRAL_ADMIN_USER;
  const password = process.env.ESPACE_CENTRAL_ADMIN_PASSWORD;
  if (username && password) return { username, password };
  if (!process.stdin.isTTY) {
    throw new AppError(
      2,
      'admin-credentials-missing',
      'set ESPACE_CENTRAL_ADMIN_USER and ESPACE_CENTRAL_ADMIN_PASSWORD (central administrator), or run this in a terminal to be asked'
    );
  }
  const user = username ?? (await ask('central administrator name: ', false));
  const pass = password ?? (await ask(`password of ${user}: `, true));
  return { username: user, password: pass };
}

function ask(question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stdout.write(s);
    };
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer.trim());
    })
  );
}

/** Central's console, its configuration validated (options, then ESPACE_CONSOLE_* variables). */
async function startCentralConsole(given: {
  centralUrl: string;
  port: number;
  host?: string;
  dataDir: string;
  publicUrl?: string;
  trustDemoKey?: boolean;
  trustedKeys?: { id: string; publicKey: string }[];
}) {
  const { createLogger } = await import('../../hub/index.js');
  const config = loadConsoleConfig(given);
  return startConsole(config, createLogger((process.env.ESPACE_LOG_LEVEL ?? 'info') as 'info', 'espace-console'));
}

export function registerCentral(program: Command): void {
  const central = program
    .command('central')
    .description("central CouchDB: a stand-in for development, setup, hub enrollment, USB bundles, the hubs' certificates");
  registerCommunity(central);
  registerCentralTls(central);
  registerGrants(central);

  central
    .command('import-bundle <file>')
    .description(
      "load a hub's USB bundle (espace usb export) into central; twice, or after sync, duplicates nothing (credentials: ESPACE_CENTRAL_USERNAME/PASSWORD or asked)"
    )
    .requiredOption('--central <url>', 'central CouchDB, e.g. https://central.example.ml/')
    .action(async (file: string, opts: { central: string }) => (await import('./usb.js')).loadBundleIntoCentral(file, opts.central));

  central
    .command('dev')
    .description('start a stand-in central (pouchdb-server) on loopback, set up and ready for hubs')
    .option('-p, --port <port>', 'port to listen on', (v) => Number(v), 5984)
    .option('-d, --data <dir>', 'where its databases live', './var/central')
    .option('--console-port <port>', "port of central's console (0: any free port)", (v) => Number(v), 5990)
    .option('--no-console', "do not start central's console")
    .action(async (opts: { port: number; data: string; consolePort: number; console: boolean }) => {
      const admin = {
        username: process.env.ESPACE_CENTRAL_ADMIN_USER ?? 'admin',
        password: process.env.ESPACE_CENTRAL_ADMIN_PASSWORD ?? 'espace-dev',
      };
      const server = await startStandInCentral({ dir: opts.data, port: opts.port, admin });
      const report = await setupCentral(server.url, admin);
      const consoleServer = opts.console
        ? await startCentralConsole({ centralUrl: server.url, port: opts.consolePort, dataDir: join(opts.data, 'console'), trustDemoKey: true })
        : null;
      process.stdout.write(
        `stand-in central listening on ${server.url} (data in ${opts.data})\n` +
          (consoleServer ? `console: ${consoleServer.url} (sign in as ${admin.username})\n` : '') +
          `administrator: ${admin.username} (password from ESPACE_CENTRAL_ADMIN_PASSWORD, or "espace-dev" the first time)\n` +
          `databases set up: ${report.created.length} created, ${report.designDocsUpdated.length} design docs written\n` +
          `enroll a hub with: espace central enroll --hub kayes-01 --url ${server.url}\n`
      );
      // Erasures reaching the stand-in are purged every minute, as a timer does in production.
      const purge = setInterval(
        () => void purgeErasures(server.url, admin).catch((e: unknown) => process.stderr.write(`purge of erasures failed: ${(e as Error).message}\n`)),
        60_000
      );
      purge.unref();
      const stop = () => Promise.all([consoleServer?.stop(), server.stop()]).then(() => process.exit(0));
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  central
    .command('console')
    .description("central's console for the programme team (publishing, fleet, figures, accounts); sign in with a CouchDB account")
    .option('--central <url>', 'CouchDB as the console reaches it (env ESPACE_CENTRAL_URL)', 'http://127.0.0.1:5984')
    .option('-p, --port <port>', 'port to listen on (env ESPACE_CONSOLE_PORT)', (v) => Number(v), 5990)
    .option('--host <host>', 'address to listen on; keep it on loopback behind the proxy (env ESPACE_CONSOLE_HOST)', '127.0.0.1')
    .option('-d, --data <dir>', 'where its audit log lives (env ESPACE_CONSOLE_DATA_DIR)', './var/console')
    .option('--public-url <url>', "central's URL as hubs reach it through the proxy, for enrolled hubs' config blocks (env ESPACE_CENTRAL_PUBLIC_URL)")
    .option(
      '--trust-key <file>',
      "a publisher's public key (.pub): packs it signed may be published from the console (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [] as string[]
    )
    .action(async (opts: { central: string; port: number; host: string; data: string; trustKey: string[]; publicUrl?: string }) => {
      const trustedKeys = opts.trustKey.map((file) => {
        try {
          return { id: basename(file).replace(/\.pub$/, ''), publicKey: readFileSync(file, 'utf8') };
        } catch (e) {
          throw new AppError(
            2,
            'trust-key-unreadable',
            `cannot read the public key ${file} (${(e as Error).message}); give the .pub file espace content keygen wrote`
          );
        }
      });
      const running = await startCentralConsole({
        centralUrl: opts.central,
        port: opts.port,
        host: opts.host,
        dataDir: opts.data,
        trustedKeys,
        ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
      });
      process.stdout.write(`central's console on ${running.url}, talking to CouchDB at ${opts.central}\n`);
      const stop = () => running.stop().then(() => process.exit(0));
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });

  const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
  const setupLines = (r: SetupReport) =>
    `  databases created: ${list(r.created)}\n  security set: ${list(r.securitySet)}\n  design docs written: ${list(r.designDocsUpdated)}\n  replication jobs written: ${list(r.jobsWritten)}\n  node configuration set: ${list(r.configSet)}\n`;

  central
    .command('setup')
    .description('create the databases, their security and validation rules, the replicator and its jobs on central (safe to run again)')
    .requiredOption('--url <url>', "central's URL, e.g. https://central.example.org")
    .option('--replication-url <url>', 'CouchDB as its own replicator reaches it (default: --url); e.g. http://127.0.0.1:5984 on the server')
    .option(
      '--cluster <nodes...>',
      'first finish a cluster: the other nodes (host or host:port as the first node reaches them), e.g. --cluster couchdb2 couchdb3; --url is the first node'
    )
    .option('--single-node', 'first finish a single node (_cluster_setup enable_single_node)')
    .action(async (opts: { url: string; replicationUrl?: string; cluster?: string[]; singleNode?: boolean }) => {
      if (opts.cluster && opts.singleNode)
        throw new AppError(2, 'cluster-or-single-node', 'give either --cluster NODE… (a cluster) or --single-node (one node), not both');
      const admin = await adminCredentials();
      if (opts.cluster || opts.singleNode) {
        const done = await finishCluster(opts.url, admin, opts.cluster ?? []);
        process.stdout.write(
          done.sent.length
            ? `${opts.cluster ? 'cluster' : 'single node'} finished (was ${done.before}): ${done.sent.join(', ')}\n`
            : `${opts.cluster ? 'cluster' : 'single node'} already finished (${done.before}).\n`
        );
      }
      const report = await setupCentral(opts.url, admin, { replicationUrl: opts.replicationUrl });
      process.stdout.write(`central at ${opts.url} is set up.\n${setupLines(report)}`);
    });

  const int = (v: string) => Number(v);
  central
    .command('render')
    .description(
      "write central's nginx reverse proxy and CouchDB's local.ini fragment and vm.args (each node's, with --nodes); secrets are generated once and kept"
    )
    .requiredOption('--out <dir>', 'where to write (e.g. /etc/espace/central); secrets.json there is kept')
    .requiredOption('--server-name <name>', 'the name hubs reach central at, e.g. central.espace-mali.org')
    .option('--cert <file>', 'TLS certificate chain (default /etc/letsencrypt/live/NAME/fullchain.pem)')
    .option('--key <file>', 'TLS private key (default /etc/letsencrypt/live/NAME/privkey.pem)')
    .option('--listen <addr>', 'the public HTTPS listener', NGINX_DEFAULTS.listen)
    .option('--http-listen <addr>', "plain HTTP (redirect and ACME http-01); 'off' for none", NGINX_DEFAULTS.httpListen)
    .option('--admin-listen <addr>', "the administrators' listener, loopback only (reach it with ssh -L)", NGINX_DEFAULTS.adminListen)
    .option('--console-port <port>', "central's console on loopback", int, 5990)
    .option('--nodes <n>', 'CouchDB nodes: 1, or 3 for a cluster', int, 1)
    .option('--hosts <list>', "the nodes' host names or addresses, comma-separated (default couchdb1,couchdb2,…)", (v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean)
    )
    .option('--couch-port <port>', "CouchDB's HTTP port on each node", int, 5984)
    .option('--cookie <cookie>', "the nodes' Erlang cookie (default: generated once)")
    .option('--hubs <n>', 'hubs expected: sizes [replicator] max_jobs', int, 500)
    .option('--q <n>', 'shards per database ([cluster] q; default 2)', int)
    .option('--n <n>', 'copies of each shard ([cluster] n; default: nodes, at most 3)', int)
    .option('--max-upload-mb <mb>', 'largest media upload', int, NGINX_DEFAULTS.maxUploadMB)
    .option('--max-body-mb <mb>', 'largest other request (hubs push batches)', int, NGINX_DEFAULTS.maxBodyMB)
    .option('--rate <r/s>', 'requests per second per account (burst above)', int, NGINX_DEFAULTS.ratePerAccount)
    .option('--burst <n>', 'burst per account above the rate', int, NGINX_DEFAULTS.burstPerAccount)
    .action(
      async (opts: {
        out: string;
        serverName: string;
        cert?: string;
        key?: string;
        listen: string;
        httpListen: string;
        adminListen: string;
        consolePort: number;
        nodes: number;
        hosts?: string[];
        couchPort: number;
        cookie?: string;
        hubs: number;
        q?: number;
        n?: number;
        maxUploadMb: number;
        maxBodyMb: number;
        rate: number;
        burst: number;
      }) => {
        for (const [flag, v] of [
          ['--rate', opts.rate],
          ['--burst', opts.burst],
        ] as const) {
          if (!Number.isInteger(v) || v < 1 || v > 100_000)
            throw new AppError(2, 'bad-number', `${flag} ${String(v)} is out of range: give a whole number from 1 to 100000`);
        }
        const r = await renderCentral({
          out: opts.out,
          serverName: opts.serverName,
          certificate: opts.cert,
          certificateKey: opts.key,
          listen: opts.listen,
          httpListen: opts.httpListen === 'off' ? null : opts.httpListen,
          adminListen: opts.adminListen,
          consolePort: opts.consolePort,
          nodes: opts.nodes,
          hosts: opts.hosts,
          couchPort: opts.couchPort,
          cookie: opts.cookie,
          hubs: opts.hubs,
          q: opts.q,
          n: opts.n,
          maxUploadMB: opts.maxUploadMb,
          maxBodyMB: opts.maxBodyMb,
          ratePerAccount: opts.rate,
          burstPerAccount: opts.burst,
        });
        process.stdout.write(
          `written in ${opts.out}: ${r.written.join(', ')}\n` +
            (r.secretsCreated
              ? `secrets.json was generated (uuid, auth secret, cookie): back it up; it is never regenerated.\n`
              : 'secrets.json kept as it was.\n') +
            `sizing: ${r.nodes.length} node(s), q=${r.sizing.q} n=${r.sizing.n}, [replicator] max_jobs=${r.sizing.maxJobs} for ${r.sizing.hubs} hubs\n` +
            `next: nginx/espace-central.conf → /etc/nginx/sites-available/ (link it in sites-enabled), ` +
            (r.nodes.length > 1
              ? `nodes/<host>/vm.args and local.d/ → /opt/couchdb/etc/ on each node, then: espace central setup --url http://127.0.0.1:5985 --cluster ${r.nodes
                  .slice(1)
                  .map((n) => n.host)
                  .join(' ')}\n`
              : `couchdb/vm.args and couchdb/local.d/ → /opt/couchdb/etc/, then: espace central setup --url http://127.0.0.1:5985 --single-node --replication-url http://127.0.0.1:5984\n`)
        );
      }
    );

  central
    .command('migrate')
    .description('move a central set up the old way (one submissions db every hub read) to one db per hub; safe to run again')
    .requiredOption('--url <url>', "central's URL")
    .option('--replication-url <url>', 'CouchDB as its own replicator reaches it (default: --url)')
    .action(async (opts: { url: string; replicationUrl?: string }) => {
      const report = await migrateCentral(opts.url, await adminCredentials(), { replicationUrl: opts.replicationUrl });
      const copied = Object.entries(report.copied).map(([hub, n]) => `${hub} ${n}`);
      process.stdout.write(
        `central at ${opts.url} is migrated: each hub pushes into submissions-<hubId>.\n${setupLines(report)}  submissions copied into the hubs' databases: ${list(copied)}\nNow upgrade the hubs.\n`
      );
    });

  central
    .command('purge-erasures')
    .description('purge from central every revision of the docs erased on hubs (run it every few minutes, e.g. from a systemd timer)')
    .requiredOption('--url <url>', "central's URL")
    .action(async (opts: { url: string }) => {
      const report = await purgeErasures(opts.url, await adminCredentials());
      process.stdout.write(`${report.purged.length} erased doc(s) purged${report.purged.length ? `: ${report.purged.join(', ')}` : ''}\n`);
    });

  const hub = central.command('hub').description("a hub's account at central");
  hub
    .command('remove <hubId>')
    .description('revoke a hub (its user and merge job go; its database is kept for administrators only); its submissions stay')
    .requiredOption('--url <url>', "central's URL")
    .action(async (hubId: string, opts: { url: string }) => {
      const r = await removeHub(opts.url, await adminCredentials(), hubId);
      process.stdout.write(
        `hub ${hubId} removed: user ${r.userRemoved ? 'deleted' : 'already gone'}, merge job ${r.jobRemoved ? 'deleted after a last merge' : 'already gone'}, database ${r.archived} archived (administrators only).\n`
      );
    });

  for (const [role, what] of [
    ['editor', 'publishes content'],
    ['analyst', 'reads the figures across hubs'],
    ['jury', 'scores the applications to calls for local initiatives'],
  ] as const) {
    const cmd = central.command(role).description(`accounts of people who ${what}`);
    cmd
      .command('add <name>')
      .description(`create (or give a new password to) an ${role}'s account; the password is read from the terminal or standard input`)
      .requiredOption('--url <url>', "central's URL")
      .action(async (name: string, opts: { url: string }) => {
        if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(name) || name.startsWith('hub-')) {
          throw new AppError(
            2,
            'bad-account-name',
            `"${name}" is not a usable name: 2–63 lowercase letters, digits, dots, dashes or underscores, not starting with "hub-"; for example "awa.diarra"`
          );
        }
        const admin = await adminCredentials();
        const password = await readNewPassword(`password for ${name}`);
        if (password.length < 10) throw new AppError(2, 'weak-password', 'the password must have at least 10 characters; nothing was changed');
        await putUser(opts.url, admin, name, password, [role]);
        process.stdout.write(`${role} ${name} can sign in to central's console and CouchDB.\n`);
      });
    cmd
      .command('remove <name>')
      .description(`remove an ${role}'s account`)
      .requiredOption('--url <url>', "central's URL")
      .action(async (name: string, opts: { url: string }) => {
        await removeUser(opts.url, await adminCredentials(), name);
        process.stdout.write(`account ${name} removed.\n`);
      });
  }

  const official = central
    .command('official')
    .description("accounts of elected officials: they answer citizens' proposals and update the plans of their communes");
  official
    .command('add <name>')
    .description("create (or give a new password to) an official's account; the password is read from the terminal or standard input")
    .requiredOption('--url <url>', "central's URL")
    .option('--commune <slug...>', 'the communes the official answers for (default: every commune), e.g. --commune nioro kayes')
    .action(async (name: string, opts: { url: string; commune?: string[] }) => {
      if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(name) || name.startsWith('hub-')) {
        throw new AppError(
          2,
          'bad-account-name',
          `"${name}" is not a usable name: 2–63 lowercase letters, digits, dots, dashes or underscores, not starting with "hub-"; for example "mairesse.nioro"`
        );
      }
      const communes = opts.commune ?? [];
      const bad = communes.find((c) => !/^[a-z0-9][a-z0-9-]*$/.test(c));
      if (bad) throw new AppError(2, 'bad-commune', `"${bad}" is not a commune's slug: lowercase letters, digits and dashes, for example "nioro"`);
      const admin = await adminCredentials();
      const password = await readNewPassword(`password for ${name}`);
      if (password.length < 10) throw new AppError(2, 'weak-password', 'the password must have at least 10 characters; nothing was changed');
      await putUser(opts.url, admin, name, password, ['official', ...communes.map((c) => `commune:${c}`)]);
      process.stdout.write(
        `official ${name} can sign in to central's console (Propositions) for ${communes.length ? communes.join(', ') : 'every commune'}.\n`
      );
    });
  official
    .command('remove <name>')
    .description("remove an official's account")
    .requiredOption('--url <url>', "central's URL")
    .action(async (name: string, opts: { url: string }) => {
      await removeUser(opts.url, await adminCredentials(), name);
      process.stdout.write(`account ${name} removed.\n`);
    });

  central
    .command('enroll')
    .description("create hubs' users and databases on central, one after another, and print each hub's config block")
    .requiredOption('--hub <id...>', 'the hub id(s), e.g. --hub kayes-01 nioro-02')
    .requiredOption('--url <url>', "central's URL for this command (behind the proxy: the administrators' listener, http://127.0.0.1:5985 through ssh -L)")
    .option('--hub-url <url>', "central's URL as the hub will reach it, for its config block (default: --url), e.g. https://central.espace-mali.org")
    .action(async (opts: { hub: string[]; url: string; hubUrl?: string }) => {
      await enrollHubs(opts.url, await adminCredentials(), opts.hub, (e, id) =>
        process.stdout.write(
          `# hub ${id} enrolled; put this in the hub's espace.yaml (keep the password secret):\n${configBlock({ ...e, url: opts.hubUrl ?? e.url })}`
        )
      );
    });
}
