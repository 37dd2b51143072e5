import compression from 'compression';
import { rateLimit } from 'express-rate-limit';
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { AppError, isAppError } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import { answerSender, type SendPrepared } from '../http/index.js';
import { portalAssets, type StaticAssets } from './assets.js';
import { Messages } from './i18n.js';
import { agendaRoutes } from './pages/agenda.js';
import { homeRoutes } from './pages/home.js';
import { informRoutes } from './pages/inform.js';
import { kioskRoutes } from './pages/kiosk.js';
import { opportunityRoutes } from './pages/opportunities.js';
import { languageRoutes } from './pages/language.js';
import { learnRoutes } from './pages/learn.js';
import { offlineRoutes } from './pages/offline.js';
import { officialsRoutes } from './pages/officials.js';
import { organisationsRoutes } from './pages/organisations.js';
import { participateRoutes } from './pages/participate.js';
import { registerRoutes } from './pages/register.js';
import { memberRoutes } from './pages/member.js';
import { communityRoutes } from './pages/community.js';
import { proposalRoutes } from './pages/proposals.js';
import { grantRoutes } from './pages/grants.js';
import { searchRoutes } from './pages/search.js';
import { welcomeRoutes } from './pages/welcome.js';
import { errorPage } from './error-page.js';
import { markRateLimited } from './form-errors.js';
import { Portal } from './portal.js';
import { pageRequest } from './page-rules.js';
import { cookies } from './request.js';
import { sectionOf } from './sections.js';
import { submissionStatusRouter } from './status.js';
import { countView, visitCookie } from './visits.js';

/** What keeps its JSON answers and errors: the API, replication, media, health. */
const NOT_PAGES = /^\/(api|db|media|health)(\/|$)/;

/** The forms that show a refusal themselves (see rateLimited()). */
const FORM_PAGES =
  /^\/(?:inscription|participer\/[^/]+|elus\/[^/]+\/message|apprendre\/quiz\/[^/]+|communaute\/(?:sujet\/[^/]+|fil\/[^/]+|mentorat)|propositions\/nouvelle)$/;

/** Browsers ask for text/html by name; API clients (which accept anything) keep the JSON envelope. */
function wantsHtml(req: Request): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? '');
}

export interface PortalOptions {
  assets?: StaticAssets;
  messages?: Messages;
  /** The per-phone limit on writes, shared with the API (made by the app); one of its own otherwise. */
  writeLimit?: RequestHandler;
  /** How cached pages are sent (the app's, sharing the fast path's negotiation memo); one of its own otherwise. */
  send?: SendPrepared;
}

/**
 * The visitor portal: server-rendered pages that work without JavaScript, in the visitor's
 * language, for phones and (with the kiosk cookie) the shared screen; fingerprinted static
 * files; the service worker and manifest; the submission status API.
 */
export function portalRouter(deps: HubDeps, opts: PortalOptions = {}): Router {
  const assets = opts.assets ?? portalAssets();
  const send = opts.send ?? answerSender();
  const portal = new Portal(deps, assets, opts.messages ?? new Messages(), send);
  // Search pages are cached while the index they were rendered from holds.
  deps.pages.followSearch(deps.search);
  const router = Router();

  router.use(submissionStatusRouter(deps));

  // Fingerprinted files and the service worker, as prepared answers (the fast path sends the
  // same ones, page-fast-path.ts).
  router.get(['/static/{*file}', '/sw.js'], function staticFile(req, res, next) {
    const a = assets.answer(req.path, deps.log);
    if (!a) return void next();
    send(req, res, a);
  });

  router.get('/manifest.webmanifest', function manifest(_req, res) {
    res
      .set('Cache-Control', 'no-cache')
      .type('application/manifest+json')
      .send(
        JSON.stringify({
          name: deps.config.spaceName,
          short_name: 'Espace',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          background_color: '#fbf7ef',
          theme_color: '#1f3a5f',
          lang: 'fr',
          icons: [{ src: assets.url('logo.svg'), sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
        })
      );
  });

  // Pages are HTML made per request: compressed on the fly (static files are precompressed above).
  router.use(compression({ threshold: 512, filter: (req, res) => res.locals.prepared !== true && compression.filter(req, res) }));
  router.use(express.urlencoded({ extended: false, limit: deps.config.limits.bodyBytes, parameterLimit: 100 }));

  // The forms write submissions like the API does: the app passes the API's limiter, so a
  // phone has one counter for both; mounted alone (tests), the portal keeps one of its own.
  const shared =
    opts.writeLimit ??
    rateLimit({
      windowMs: 60_000,
      limit: deps.config.limits.submissionsPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError(429, 'too-many-submissions', 'too many forms sent from this phone; wait a minute')),
    });
  // A form the visitor filled is shown again with what was typed and the catalog's sentence.
  const limiter: RequestHandler = (req, res, next) =>
    shared(req, res, (err?: unknown) => {
      if (isAppError(err) && err.status === 429 && FORM_PAGES.test(req.path)) {
        markRateLimited(req);
        return void next();
      }
      next(err);
    });
  router.use(function limitForms(req, res, next) {
    // Checking one quiz answer writes nothing.
    if (req.method === 'POST' && !/^\/apprendre\/quiz\/[^/]+\/verifier$/.test(req.path)) return limiter(req, res, next);
    next();
  });

  // Who is signed in as a member (only requests carrying the member cookie are looked up).
  router.use(deps.members.session());

  router.use(function countUsage(req, res, next) {
    if (req.method === 'GET') {
      const section = sectionOf(req.path);
      if (section) {
        countView(deps.usage, section, Boolean(cookies(req).visit));
        res.append('Set-Cookie', visitCookie());
      }
    }
    next();
  });

  /**
   * Before any read: what the page will be rendered from, if it may be cached. When the same
   * page is already being rendered from the same data (50 phones after a sync), wait for it
   * and send that one rather than render it again.
   */
  router.use(async function stampPage(req, res, next) {
    const request = req.method === 'GET' ? pageRequest(req.originalUrl, req.headers.cookie) : null;
    const stamp = request && portal.pages.stamp(request, req.headers.host);
    if (!stamp) return void next();
    const running = portal.pages.renderingOf(stamp);
    if (running) {
      await running;
      const done = portal.pages.get(stamp, req.headers.host);
      if (done) return void portal.sendCached(res, done);
    }
    res.locals.pageStamp = stamp;
    res.once('close', portal.pages.rendering(stamp));
    next();
  });

  for (const routes of [
    homeRoutes,
    learnRoutes,
    informRoutes,
    officialsRoutes,
    organisationsRoutes,
    participateRoutes,
    registerRoutes,
    memberRoutes,
    communityRoutes,
    proposalRoutes,
    grantRoutes,
    agendaRoutes,
    opportunityRoutes,
    searchRoutes,
    languageRoutes,
    offlineRoutes,
    welcomeRoutes,
    kioskRoutes,
  ]) {
    routes(router, portal);
  }

  router.use(function pageNotFound(req, res, next) {
    if (req.method !== 'GET' || NOT_PAGES.test(req.path) || !wantsHtml(req)) return void next();
    const ctx = portal.ctx(req);
    portal.send(res, errorPage(ctx, ctx.t('error.notFound')), 404);
  });

  /** A page's error is shown as a page (a visitor is reading HTML); the API keeps its JSON envelope. */
  const pageError: ErrorRequestHandler = function pageError(err, req, res, next) {
    if (NOT_PAGES.test(req.path) || res.headersSent || !wantsHtml(req)) return void next(err);
    const status = isAppError(err) && err.status < 500 ? err.status : 500;
    if (status >= 500) deps.log.error({ err, path: req.path }, 'portal page failed');
    const ctx = portal.ctx(req);
    const title = status === 404 ? ctx.t('error.notFound') : status === 429 ? ctx.t('error.tooMany') : ctx.t('error.generic');
    portal.send(res, errorPage(ctx, title), status);
  };
  router.use(pageError);
  return router;
}
