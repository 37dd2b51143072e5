import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot, type Config } from './config/boot.js';
import type { HubDeps } from './deps.js';
import { loadLogger, type Logger } from './log/index.js';
import type { Catalog } from './catalog/index.js';
import { SearchIndex, type SearchSource } from './search/index.js';
import { closeAhead, MediaStore, peekDatabase } from './storage/boot.js';
import type { Databases } from './storage/index.js';
import { hubVersion } from './version.js';
import { QuietMoment } from './quiet-moment.js';
import { prepareContent } from './seed.js';
import { answerSender, EncodingMemo, precomputedSecurityHeaders, SearchAnswers, searchFastPath } from './http/boot.js';
import type { Rooms } from './rooms.js';
import { PACK_INTENT_ID, SystemdNotifier } from '../content/boot.js';

export interface RunningHub {
  deps: HubDeps;
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The rest of the hub loads after no request for this long (a search sent as the port opens
 * arrives within a few ms, at Pi speed too), and at the latest this long after the index is
 * ready: the wait costs no CPU, and a start with no visitor is everything-serving 50 ms later.
 */
const QUIET_MS = 50;
const QUIET_AT_MOST_MS = 1000;

export interface StartOptions {
  /**
   * Awaited after listening, before the rest of the hub loads: tests hold it to see the hub as
   * it is between the two steps (searches answered, other requests waiting).
   */
  beforeRooms?: () => Promise<void>;
  /**
   * Awaited before PouchDB loads and opens the content db: tests hold it to see that searches
   * from a current snapshot are answered without it.
   */
  beforeContent?: () => Promise<void>;
}

/**
 * Opens storage, builds the app and listens. Used by `espace start` and by tests, which
 * pass port 0 and a temporary data dir.
 *
 * Loading modules is most of a start on a Pi's core, so the hub starts in two steps: the
 * search index (from its snapshot, when the content db's sequence read from LevelDB says it is
 * current) with only the modules it needs, then it listens, searches answered at once (the
 * fast path's own answer, http/boot.ts); PouchDB, the catalog and the other rooms (rooms.ts,
 * Express and every router) load after the index is ready and the searches of the visitors
 * already there are answered (quiet-moment.ts), and the requests that came meanwhile wait for
 * them, none refused. Content to prepare (an interrupted import, the demo
 * to seed) is prepared with PouchDB before anything is served, as before. READY=1 and the
 * resolved promise come once everything serves, as before.
 */
export async function startHub(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningHub> {
  const started = Date.now();
  if (config.trustDemoKey) {
    log.warn(
      'trustDemoKey is on: this hub accepts any pack signed with the demo key, whose private half is in the public repository. Fine for the demo; on a hub people use, set trustDemoKey: false and list your own keys in trustedKeys'
    );
  }
  const search = new SearchIndex();
  const version = hubVersion();
  const media = new MediaStore(config.dataDir);
  // What the content db holds, read from LevelDB before PouchDB loads (~30 ms of CPU here, four
  // times that on a Pi's core): enough to answer searches from a current snapshot without it.
  const peek = await peekDatabase(config.dataDir, 'content', [PACK_INTENT_ID]);
  // PouchDB, the content and media dbs and the catalog, once: before serving when there is
  // content to prepare, else once the first search can be answered (or a replay needs them).
  let opening: Promise<OpenedContent> | undefined;
  const opened = (): Promise<OpenedContent> =>
    (opening ??= (async () => {
      await opts.beforeContent?.();
      return openContent(config, log, media, search);
    })());
  // An import a crash interrupted is finished, and the demo seeded into an empty hub, before
  // anything is served (prepareContent); a db PouchDB has not made yet is made then too.
  const mustPrepare = peek === null || peek.locals.size > 0 || (config.seedDemo && peek.docCount === 0);
  let followFrom: number | string;
  try {
    // The content db is followed once the first search can be answered (a changes feed loads
    // PouchDB's streams), from here: no change made meanwhile is missed, and those the index
    // replays from its snapshot come again, which changes nothing.
    followFrom = mustPrepare ? await (await opened()).catalog.updateSeq() : peek.updateSeq;
  } catch (e) {
    await closeAhead();
    throw e;
  }
  // Until PouchDB has the content db, nothing writes it: this process holds LevelDB's lock.
  const source: SearchSource = {
    updateSeq: async () => (opening ? (await opened()).catalog.updateSeq() : followFrom),
    changesSince: async (since, limit) => (await opened()).catalog.changesSince(since, limit),
    pages: async function* () {
      yield* (await opened()).catalog.pages();
    },
  };
  // From the snapshot on disk when it is current (searches answered at once), else rebuilt.
  const searchFile = join(config.dataDir, 'search', 'index.bin');
  const searchStarted = Date.now();
  const searchReady = search.start(source, searchFile).then(
    (outcome) => log.info({ docs: search.size, ms: Date.now() - searchStarted, ...outcome }, 'search index ready'),
    (err: unknown) => log.error({ err }, 'search index failed')
  );

  // Until the rest has loaded: searches once the index is ready, everything else waits for it.
  const early = earlyHandler(config, search);
  // The whole hub's handler, once loaded.
  const front: { full?: Handler } = {};
  let loaded!: (h: Handler) => void;
  let failed!: (err: unknown) => void;
  const whenFull = new Promise<Handler>((resolve, reject) => {
    loaded = resolve;
    failed = reject;
  });
  whenFull.catch(() => undefined);
  const waitFor = (ready: Promise<unknown>, req: IncomingMessage, res: ServerResponse): void =>
    void ready.then(
      () => {
        if (front.full) front.full(req, res);
        else if (!early(req, res)) waitFor(whenFull, req, res);
      },
      () => {
        // The hub failed to start and is going down: the request is not dropped silently.
        res.writeHead(503, { 'retry-after': '5' }).end();
      }
    );
  // The rest loads once the searches of the visitors already there are answered (quiet-moment.ts).
  const quiet = new QuietMoment(QUIET_MS);
  const gate: Handler = (req, res) => {
    if (front.full) front.full(req, res);
    else if (early(req, res)) quiet.heard();
    // A search waits for the index or the rest, whichever comes first; anything else for the rest.
    else if (isSearch(req)) {
      quiet.heard();
      waitFor(Promise.race([searchReady, whenFull]), req, res);
    } else {
      quiet.now();
      waitFor(whenFull, req, res);
    }
  };
  const server = createServer({ keepAliveTimeout: 5000, headersTimeout: 10_000, requestTimeout: 60_000 }, gate);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, ms: Date.now() - started }, 'hub listening');

  let rooms: Rooms;
  let content: OpenedContent;
  let dbs: Partial<Databases> = {};
  let closeDatabases: (dbs: Partial<Databases>) => Promise<void> = async () => undefined;
  try {
    // On one core, loading the rest now would hold the snapshot's restore back: it waits for it
    // (a rebuild from the catalog, seconds long, is not waited for: searches wait for it alone).
    await search.whenRestoredOrRebuilding();
    // The searches of the visitors already there are answered first.
    await quiet.reached(QUIET_AT_MOST_MS);
    content = await opened();
    const { first, catalog, storage } = content;
    dbs = first;
    closeDatabases = storage.closeDatabases;
    catalog.watch(followFrom);
    // `espace start`'s logger loads pino only now, writing the lines it kept (content/log).
    loadLogger(log);
    await opts.beforeRooms?.();
    const all = { ...first, ...(await storage.openDatabases(config.dataDir, log, ['submissions', 'fleet'])) };
    dbs = all;
    const { buildRooms } = await import('./rooms.js');
    rooms = await buildRooms({ config, log, dbs: all, media, catalog: content.catalog, search, version, startedAt: new Date(started).toISOString() });
  } catch (err) {
    failed(err);
    // The requests that waited get their 503 before the connections close.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    (await opening?.catch(() => undefined))?.catalog.unwatch();
    await searchReady;
    await closeDatabases(dbs);
    await closeAhead();
    throw err;
  }
  front.full = rooms.handler;
  loaded(rooms.handler);
  await rooms.start(port);
  // Changes since are replayed at the next start; a snapshot now and then keeps that short.
  const searchSaver = setInterval(() => void search.persist(searchFile).catch((err: unknown) => log.error({ err }, 'search snapshot not written')), 5 * 60_000);
  searchSaver.unref();
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  log.info({ port, ms: Date.now() - started }, 'hub started');
  // Under systemd (Type=notify) the unit turns active only now: a slow start after a power cut is
  // "activating", which the liveness timer waits for instead of restarting a hub still opening.
  const systemd = new SystemdNotifier(process.env.NOTIFY_SOCKET, log.child({ room: 'systemd' }));
  await systemd.notify('READY=1');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await systemd.notify('STOPPING=1');
      await rooms.stopFront();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rooms.stopServices();
      content.catalog.unwatch();
      clearInterval(searchSaver);
      await searchReady;
      await search.persist(searchFile).catch((err: unknown) => log.error({ err }, 'search snapshot not written'));
      await rooms.closeStores();
      await closeDatabases(dbs);
      log.info('hub stopped');
    })();
    return closing;
  };
  return { deps: rooms.deps, server, port, url: `http://${host}:${port}`, close };
}

/** What the hub reads and writes content through, opened once PouchDB has loaded (openContent). */
interface OpenedContent {
  first: Pick<Databases, 'content' | 'media'>;
  catalog: Catalog;
  /** The storage room whole (PouchDB with it), for the other dbs and for closing. */
  storage: typeof import('./storage/index.js');
}

/**
 * Loads PouchDB, opens the content and media dbs (the content db is the one the peek opened
 * ahead), clears half-written media, finishes an interrupted import and seeds the demo once
 * (prepareContent), and makes the catalog, whose changes reach the search index.
 */
async function openContent(config: Config, log: Logger, media: MediaStore, search: SearchIndex): Promise<OpenedContent> {
  const [storage, { Catalog }] = await Promise.all([import('./storage/index.js'), import('./catalog/index.js')]);
  const first = await storage.openDatabases(config.dataDir, log, ['content', 'media']);
  const cleaned = await media.cleanTemporary();
  if (cleaned > 0) log.info({ cleaned }, 'removed half-written media files left by an interrupted write');
  await prepareContent({
    config,
    log: log.child({ room: 'content' }),
    target: { content: first.content, media: first.media, store: media },
    root: projectRoot(),
  });
  const catalog = new Catalog(first.content, log.child({ room: 'catalog' }));
  catalog.onChange((doc, seq) => search.apply(doc, seq));
  return { first, catalog, storage };
}

function isSearch(req: IncomingMessage): boolean {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return (q === -1 ? url : url.slice(0, q)) === '/api/v1/search';
}

/** Searches on raw node:http with the fast path's own answer, the only requests served before the rest has loaded. */
function earlyHandler(config: Config, search: SearchIndex): (req: IncomingMessage, res: ServerResponse) => boolean {
  const send = answerSender(precomputedSecurityHeaders(config), new EncodingMemo());
  const answer = searchFastPath(search, send, new SearchAnswers());
  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isSearch(req)) return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    return answer(req, res, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
  };
}
