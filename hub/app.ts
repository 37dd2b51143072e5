import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import type { HubDeps } from './deps.js';
import {
  contentRouter,
  coverageRouter,
  createFastPath,
  errorHandler,
  healthRouter,
  httpShared,
  mediaRouter,
  notFound,
  phoneWriteLimit,
  replicationRouter,
  searchRouter,
  securityHeaders,
  submissionsRouter,
  type HttpShared,
} from './http/index.js';
import { syncRouter } from './sync/index.js';
import { captiveRouter } from './captive/index.js';
import { portalRouter } from './portal/index.js';
import { adminRouter, consoleErrorPage } from './admin/index.js';
import { tlsRouter } from './tls/index.js';

/**
 * Builds the hub's HTTP app from its dependencies (one router per feature); listening is
 * main's job, so tests drive the same app on a loopback port.
 */
export function createApp(deps: HubDeps, shared: HttpShared = httpShared(deps)): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind the nginx front (the Pi's port 80), a phone's address is the X-Forwarded-For that
  // nginx sets (never appends to) on its loopback connections; no one else is believed.
  app.set('trust proxy', deps.config.mediaFront ? 'loopback' : false);
  app.set('etag', 'strong');
  app.use(securityHeaders(deps.config));
  // Captive probes and unknown hosts first: they must be answered whatever the path's owner.
  app.use(captiveRouter(deps));
  app.use(healthRouter(deps));
  app.use(tlsRouter(deps.tls));
  app.use(mediaRouter(shared));
  app.use(contentRouter(deps, shared));
  app.use(searchRouter(deps, shared));
  app.use(coverageRouter(deps));
  // One write limit per phone, whether it posts a form or calls the API, on either path.
  const writeLimit = phoneWriteLimit(shared.phoneLimit);
  app.use(submissionsRouter(deps, writeLimit));
  app.use(replicationRouter(deps));
  app.use(syncRouter(deps.sync));
  app.use(adminRouter(deps));
  app.use(portalRouter(deps, { writeLimit, send: shared.send }));
  app.use(notFound());
  // The console's pages get their errors as a page in French, everything else the JSON envelope.
  app.use(errorHandler(deps.log, [consoleErrorPage(deps.config.spaceName)]));
  return app;
}

/**
 * What main listens with: the raw fast path for hot cacheable GETs, then the Express app
 * (which fills the caches the fast path reads; both send the same prepared answers).
 * `fastPath: false` leaves everything to Express (the parity tests compare the two).
 */
export function createHandler(deps: HubDeps, opts: { fastPath?: boolean } = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const shared = httpShared(deps);
  const app = createApp(deps, shared);
  if (opts.fastPath === false) return app;
  const fast = createFastPath(deps, shared);
  return function hub(req, res) {
    if (!fast(req, res)) app(req, res);
  };
}
