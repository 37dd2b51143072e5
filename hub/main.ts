import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createHandler } from './app.js';
import { projectRoot, type Config } from './config/index.js';
import type { HubDeps } from './deps.js';
import type { Logger } from './log/index.js';
import { Catalog } from './catalog/index.js';
import { SearchIndex } from './search/index.js';
import { closeDatabases, MediaStore, openDatabases } from './storage/index.js';
import { SubmissionService } from './submissions/index.js';
import { hubVersion } from './version.js';
import { SyncEngine } from './sync/index.js';
import { UsageCounter } from './usage/index.js';
import { Members } from './members/index.js';
import { CommunityService } from './community/index.js';
import { ProposalService } from './proposals/index.js';
import { GrantService } from './grants/index.js';
import { ContentDigest, openPageCache } from './portal/index.js';
import { Studio } from './studio/index.js';
import { advertiseHub } from './mdns/index.js';
import { HeartbeatWriter } from './fleet/index.js';
import { prepareContent } from './seed.js';
import { SmsService } from './sms/index.js';
import { TlsService } from './tls/index.js';
import { SystemdNotifier } from '../content/index.js';

export interface RunningHub {
  deps: HubDeps;
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Opens storage, builds the app and listens. Used by `espace start` and by tests, which
 * pass port 0 and a temporary data dir.
 */
export async function startHub(config: Config, log: Logger): Promise<RunningHub> {
  const started = Date.now();
  if (config.trustDemoKey) {
    log.warn(
      'trustDemoKey is on: this hub accepts any pack signed with the demo key, whose private half is in the public repository. Fine for the demo; on a hub people use, set trustDemoKey: false and list your own keys in trustedKeys'
    );
  }
  const dbs = await openDatabases(config.dataDir, log);
  const media = new MediaStore(config.dataDir);
  const cleaned = await media.cleanTemporary();
  if (cleaned > 0) log.info({ cleaned }, 'removed half-written media files left by an interrupted write');
  // Finish a pack import a crash interrupted, and seed the demo once, before serving anything.
  await prepareContent({ config, log: log.child({ room: 'content' }), target: { content: dbs.content, media: dbs.media, store: media }, root: projectRoot() });
  const catalog = new Catalog(dbs.content, log.child({ room: 'catalog' }));
  const search = new SearchIndex();
  const submissions = new SubmissionService(dbs.submissions, catalog, log.child({ room: 'submissions' }));
  const usage = new UsageCounter(dbs.submissions, config.hubId, log.child({ room: 'usage' }));
  const version = hubVersion();
  const sync = await SyncEngine.create({ config, dbs, media, log: log.child({ room: 'sync' }), version });
  const members = new Members(dbs.submissions, catalog, config, log.child({ room: 'members' }));
  const community = new CommunityService(dbs, catalog, config, log.child({ room: 'community' }));
  const proposals = new ProposalService(dbs, catalog, config, log.child({ room: 'proposals' }));
  const pages = openPageCache({ catalog, dbs, log });
  const digest = new ContentDigest({ catalog, dbs });
  const studio = new Studio({ config, dbs, catalog });
  const grants = new GrantService(dbs, catalog, config);
  const deps: HubDeps = {
    config,
    log,
    dbs,
    media,
    catalog,
    search,
    submissions,
    usage,
    members,
    community,
    proposals,
    pages,
    digest,
    studio,
    grants,
    sync,
    version,
    startedAt: new Date(started).toISOString(),
  };
  deps.sms = await SmsService.open({ config, submissions: dbs.submissions, catalog, log: log.child({ room: 'sms' }) });

  if (config.tls.domain) {
    deps.tls = new TlsService({
      dataDir: config.dataDir,
      hubId: config.hubId,
      domain: config.tls.domain,
      host: config.host,
      port: config.tls.port,
      publicPort: config.tls.publicPort,
      log: log.child({ room: 'tls' }),
      // The same handler as plain HTTP: the fast path, then Express.
      handler: (req, res) => app(req, res),
    });
  }
  const app = createHandler(deps);
  const server = createServer({ keepAliveTimeout: 5000, headersTimeout: 10_000, requestTimeout: 60_000 }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // HTTPS only once plain HTTP answers: a hub without a valid certificate still serves everyone.
  await deps.tls?.start();
  // The index is built after listening so start-up stays short; searches wait for it.
  catalog.watch();
  catalog.onChange((doc, seq) => search.apply(doc, seq));
  // From the snapshot on disk when it is current (searches answered at once), else rebuilt.
  const searchFile = join(config.dataDir, 'search', 'index.bin');
  const searchStarted = Date.now();
  const searchReady = search
    .start(
      { updateSeq: () => catalog.updateSeq(), changesSince: (since, limit) => catalog.changesSince(since, limit), pages: () => catalog.pages() },
      searchFile
    )
    .then(
      (outcome) => log.info({ docs: search.size, ms: Date.now() - searchStarted, ...outcome }, 'search index ready'),
      (err: unknown) => log.error({ err }, 'search index failed')
    );
  if (deps.tls) {
    // The chain central ordered comes down with the content; one already pulled is offered at start.
    const tls = deps.tls;
    catalog.onChange((doc) => void tls.offer(doc).catch((err: unknown) => log.error({ err }, 'certificate from central could not be installed')));
    await tls.offer(await catalog.maybe(`certificate:${config.hubId}`));
  }
  // The proposals' counts are read once, after listening, rather than by the first visitor's page.
  void proposals.ready().catch((err: unknown) => log.error({ err }, 'proposals could not be counted'));
  // Changes since are replayed at the next start; a snapshot now and then keeps that short.
  const searchSaver = setInterval(() => void search.persist(searchFile).catch((err: unknown) => log.error({ err }, 'search snapshot not written')), 5 * 60_000);
  searchSaver.unref();
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  log.info({ port, ms: Date.now() - started }, 'hub listening');
  const mdns = advertiseHub(config, port, { id: config.hubId, name: config.spaceName, version: deps.version, status: 'ok' }, log.child({ room: 'mdns' }));
  const heartbeat = new HeartbeatWriter({
    config,
    dbs,
    version: deps.version,
    log: log.child({ room: 'fleet' }),
    lastSync: () => deps.sync.status().classes.push.lastSuccess ?? null,
    ...(deps.tls ? { tls: () => deps.tls!.heartbeat() } : {}),
    onWrite: (hb) => mdns?.update({ lastSync: hb.lastSync ?? 'never' }),
  });
  // Written at once, not after the search index: a sync run right after start (a technician's
  // `espace sync now`) must carry the heartbeat, and with it the hub's CSR (tls-acme test).
  heartbeat.start();
  if (config.sync.enabled && deps.sync.configured()) deps.sync.start();
  usage.start();
  deps.sms.start();
  // Under systemd (Type=notify) the unit turns active only now: a slow start after a power cut is
  // "activating", which the liveness timer waits for instead of restarting a hub still opening.
  const systemd = new SystemdNotifier(process.env.NOTIFY_SOCKET, log.child({ room: 'systemd' }));
  await systemd.notify('READY=1');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await systemd.notify('STOPPING=1');
      await mdns?.stop();
      await deps.tls?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await deps.sync.stop();
      await heartbeat.stop();
      await usage.stop();
      await deps.sms?.close();
      catalog.unwatch();
      clearInterval(searchSaver);
      await searchReady;
      await search.persist(searchFile).catch((err: unknown) => log.error({ err }, 'search snapshot not written'));
      // The supports counted, so that the next start reads them at once.
      await proposals.close();
      await submissions.close();
      await closeDatabases(dbs);
      log.info('hub stopped');
    })();
    return closing;
  };
  return { deps, server, port, url: `http://${host}:${port}`, close };
}
