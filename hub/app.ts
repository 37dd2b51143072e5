import express, { type Express } from 'express';
import helmet from 'helmet';
import type { HubDeps } from './deps.js';
import { errorHandler, notFound } from './http/errors.js';
import { healthRouter } from './http/health.js';
import { contentRouter } from './http/content.js';
import { mediaRouter } from './http/media.js';
import { replicationRouter } from './http/replication.js';
import { searchRouter } from './http/search.js';
import { submissionsRouter } from './http/submissions.js';
import { syncRouter } from './sync/index.js';
import { captiveRouter } from './captive/index.js';
import { portalRouter } from './portal/index.js';
import { adminRouter } from './admin/index.js';

/**
 * Builds the hub's HTTP app from its dependencies (one router per feature); listening is
 * main's job, so tests drive the same app on a loopback port.
 */
export function createApp(deps: HubDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', 'strong');
  app.use(
    helmet({
      // Nothing is ever loaded from outside the hub: phones have no Internet here.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'self'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      // The hub is plain HTTP on a LAN; HSTS would lock phones out.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Captive probes and unknown hosts first: they must be answered whatever the path's owner.
  app.use(captiveRouter(deps));
  app.use(healthRouter(deps));
  app.use(mediaRouter(deps));
  app.use(contentRouter(deps));
  app.use(searchRouter(deps));
  app.use(submissionsRouter(deps));
  app.use(replicationRouter(deps));
  app.use(syncRouter(deps.sync));
  app.use(adminRouter(deps));
  app.use(portalRouter(deps));
  app.use(notFound());
  app.use(errorHandler(deps.log));
  return app;
}
