import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler } from './app.js';
import type { HubDeps } from './deps.js';
import { SubmissionService } from './submissions/index.js';
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
import { SmsService } from './sms/index.js';
import { TlsService } from './tls/index.js';
import { MEDIA_SECTION, playsKey, receivePlays, type PlayReceiver } from './http/index.js';

/** What main opened before listening (storage, the catalog, the search index). */
export type Opened = Pick<HubDeps, 'config' | 'log' | 'dbs' | 'media' | 'catalog' | 'search' | 'version' | 'startedAt'>;

/** The rest of the hub, started: its handler, and how it stops. */
export interface Rooms {
  deps: HubDeps;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The services started once the handler serves (after plain HTTP listens: TLS, sync, heartbeat...). */
  start(port: number): Promise<void>;
  /** Stopping, in main's order: mDNS and HTTPS before the server closes, then the services, then what writes to the databases. */
  stopFront(): Promise<void>;
  stopServices(): Promise<void>;
  closeStores(): Promise<void>;
}

/**
 * Builds every room but storage and search, which main opened before listening so that the
 * first search is answered while this module and its libraries load (hub/main.ts).
 */
export async function buildRooms(opened: Opened): Promise<Rooms> {
  const { config, log, dbs, media, catalog, search, version, startedAt } = opened;
  const submissions = new SubmissionService(dbs.submissions, catalog, log.child({ room: 'submissions' }));
  const usage = new UsageCounter(dbs.submissions, config.hubId, log.child({ room: 'usage' }));
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
    startedAt,
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
      handler: (req, res) => handler(req, res),
    });
  }
  const handler = createHandler(deps);
  let mdns: ReturnType<typeof advertiseHub> | undefined;
  let heartbeat: HeartbeatWriter | undefined;
  let plays: PlayReceiver | undefined;

  return {
    deps,
    handler,
    async start(port) {
      // HTTPS only once plain HTTP answers: a hub without a valid certificate still serves everyone.
      await deps.tls?.start();
      if (deps.tls) {
        // The chain central ordered comes down with the content; one already pulled is offered at start.
        const tls = deps.tls;
        catalog.onChange((doc) => void tls.offer(doc).catch((err: unknown) => log.error({ err }, 'certificate from central could not be installed')));
        await tls.offer(await catalog.maybe(`certificate:${config.hubId}`));
      }
      // The proposals' counts are read once, after listening, rather than by the first visitor's page.
      void proposals.ready().catch((err: unknown) => log.error({ err }, 'proposals could not be counted'));
      mdns = advertiseHub(config, port, { id: config.hubId, name: config.spaceName, version, status: 'ok' }, log.child({ room: 'mdns' }));
      heartbeat = new HeartbeatWriter({
        config,
        dbs,
        version,
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
      deps.sms!.start();
      // Behind the nginx front, the plays it sends itself arrive by UDP on the same port number.
      // Only those carrying the key nginx read (media-plays.ts): a forged datagram is not counted.
      if (config.mediaFront) {
        const http = log.child({ room: 'http' });
        const key = await playsKey(config.dataDir).catch((err: unknown) => void http.error({ err }, "the front's plays are not counted"));
        if (key) plays = await receivePlays(port, key, () => usage.pageView(MEDIA_SECTION), http);
      }
    },
    async stopFront() {
      await mdns?.stop();
      await deps.tls?.close();
    },
    async stopServices() {
      await plays?.close();
      await deps.sync.stop();
      await heartbeat?.stop();
      await usage.stop();
      await deps.sms?.close();
    },
    async closeStores() {
      // The supports counted, so that the next start reads them at once.
      await proposals.close();
      await submissions.close();
    },
  };
}
