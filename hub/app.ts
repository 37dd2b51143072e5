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
  isNavigation,
  mediaRouter,
  notFound,
  phoneWriteLimit,
  replicationRouter,
  searchRouter,
  securityHeaders,
  submissionsRouter,
  type ErrorPage,
  type HttpShared,
} from './http/index.js';
import { syncRouter } from './sync/index.js';
import { captiveRouter } from './captive/index.js';
import { Messages, mediaErrorPage, portalRouter } from './portal/index.js';
import { adminRouter, consoleErrorPage } from './admin/index.js';
import { tlsRouter } from './tls/index.js';

/** What the app and the fast path share: the HTTP room's (httpShared) and the portal's messages. */
export interface AppShared {
  http: HttpShared;
  messages: Messages;
}

/**
 * Built once for both paths: the visitor's messages, and with them the page a browser's failed
 * visit to a media address gets (in the visitor's language, on either path).
 */
export function appShared(deps: HubDeps): AppShared {
  const messages = new Messages();
  return { messages, http: httpShared(deps, mediaErrorPage(deps, messages)) };
}

/**
 * Builds the hub's HTTP app from its dependencies (one router per feature); listening is
 * main's job, so tests drive the same app on a loopback port.
 */
export function createApp(deps: HubDeps, parts: AppShared = appShared(deps)): Express {
  const shared = parts.http;
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
  app.use(portalRouter(deps, { writeLimit, send: shared.send, messages: parts.messages }));
  app.use(notFound());
  // The console's pages get their errors as a page in French, a browser's visit to a media
  // address the portal's page in the visitor's language, everything else the JSON envelope.
  app.use(errorHandler(deps.log, [consoleErrorPage(deps.config.spaceName), mediaVisitPage(shared)]));
  return app;
}

/**
 * What main listens with: the raw fast path for hot cacheable GETs, then the Express app
 * (which fills the caches the fast path reads; both send the same prepared answers).
 * `fastPath: false` leaves everything to Express (the parity tests compare the two).
 */
export function createHandler(deps: HubDeps, opts: { fastPath?: boolean } = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const parts = appShared(deps);
  const app = createApp(deps, parts);
  if (opts.fastPath === false) return app;
  const fast = createFastPath(deps, parts.http);
  return function hub(req, res) {
    if (!fast(req, res)) app(req, res);
  };
}

/** A browser's visit to a media address refused by Express's route (a bad address, a missing file). */
function mediaVisitPage(shared: HttpShared): ErrorPage {
  return (req, _res, e) => (shared.errorPage && req.path.startsWith('/media/') && isNavigation(req) ? shared.errorPage(req, e) : undefined);
}
