import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { AppError, isAppError } from '../../../content/index.js';
import { html } from '../../../hub/index.js';
import { AuditLog } from '../../../hub/index.js';
import { LoginThrottle, SessionStore, csrfProtection, loadSession, requireRole, sessionOf, SESSION_COOKIE } from '../../../hub/index.js';
import { projectRoot } from '../../../hub/index.js';
import type { Logger } from '../../../hub/index.js';
import { couch, type CookieAuth } from '../couch.js';
import type { ConsoleConfig } from './config.js';
import { CouchSessions } from './couch-sessions.js';
import { BASE, LOGIN_PATH, menuFor, renderPage, VOICE_INPUT_SCRIPT } from './layout.js';
import type { CentralAs, ConsoleContext, ConsolePage, ConsoleRoute, ConsoleServices } from './page-table.js';
import { CONSOLE_PAGES } from './pages/index.js';
import type { ConsoleRole } from './roles.js';
import { COOKIE_BASE, sessionRoutes } from './session-routes.js';

/** French for the errors a person can meet in the console (the shared parts speak English to the CLI). */
const FRENCH: Record<string, string> = {
  'csrf-token-missing': 'Ce formulaire n’a pas de jeton de sécurité : rechargez la page et recommencez.',
  'csrf-token-invalid': 'Ce formulaire vient d’une ancienne page : rechargez la page et recommencez.',
  'login-required': 'Connectez-vous d’abord.',
  'forbidden-role': 'Cette page n’est pas ouverte à votre rôle. Demandez à un administrateur.',
  'couch-session-ended': 'Votre session a expiré : reconnectez-vous.',
  'not-found': 'Cette page n’existe pas.',
  'body-too-large': 'Ce que vous envoyez est trop volumineux.',
  // The studio's review (review.ts speaks English to the CLI).
  'contribution-not-found': 'Cette contribution n’est pas (ou plus) à central.',
  'take-not-found': 'Cette contribution n’a pas d’enregistrement à central.',
  'already-reviewed': 'Cette contribution a déjà reçu une décision : rechargez la liste.',
  'translation-unreadable': 'Cette traduction n’est pas un message valide (vérifiez ses accolades { }) : refusez-la ou demandez-en une autre.',
  'translation-placeholders': 'Cette traduction ne garde pas les mots entre accolades { } du français : refusez-la avec cette raison.',
};

export interface ConsoleHandle {
  app: Express;
  services: ConsoleServices;
}

function bodyParser(route: ConsoleRoute, config: ConsoleConfig): RequestHandler {
  if (route.body !== 'multipart') return express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 500 });
  const dir = join(resolve(config.dataDir), 'uploads');
  // Uploads half-received when the console stopped are of no use: start empty.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let upload: RequestHandler | undefined;
  return async function multipartBody(req, res, next) {
    upload ??= (await import('multer'))
      .default({ dest: dir, limits: { fileSize: Math.floor(config.uploadMaxMB * 1024 * 1024), files: 1, fields: 20 } })
      .single('file');
    upload(req, res, (err: unknown) => {
      if ((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') {
        return void next(new AppError(413, 'upload-too-large', `Le fichier dépasse ${config.uploadMaxMB} Mo.`));
      }
      const file = req.file;
      if (file) res.once('close', () => void rm(file.path, { force: true }));
      next(err);
    });
  };
}

/**
 * Central's console: the hub console's parts (page chrome, CSRF, sessions, login throttling, audit,
 * charts) around the pages listed in pages/index.ts, each behind its roles. People sign in
 * with their CouchDB account; every read and write to CouchDB is made with their own
 * AuthSession, so CouchDB's security objects and validate_doc_update decide, not the console.
 */
export function createConsoleApp(config: ConsoleConfig, log: Logger, pages: readonly ConsolePage[] = CONSOLE_PAGES): ConsoleHandle {
  const services: ConsoleServices = {
    config,
    log,
    sessions: new SessionStore<ConsoleRole>({ idleMs: config.sessionIdleMinutes * 60_000, absoluteMs: config.sessionMaxHours * 3_600_000 }),
    throttle: new LoginThrottle({
      freeAttempts: config.loginFreeAttempts,
      firstDelayMs: config.loginFirstDelaySeconds * 1000,
      maxDelayMs: config.loginMaxDelayMinutes * 60_000,
      ipFailures: config.loginIpFailures,
      ipWindowMs: config.loginIpWindowMinutes * 60_000,
    }),
    audit: new AuditLog(resolve(config.dataDir)),
  };
  const cookies = new CouchSessions(config.sessionMaxHours * 3_600_000);
  const routes = [...sessionRoutes(cookies), ...pages.flatMap((p) => p.routes)];
  const app = express();
  app.disable('x-powered-by');
  // Behind nginx on the same machine: its X-Forwarded-Proto says whether the browser used TLS (Secure cookies).
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    })
  );
  app.get('/', (_req, res) => res.redirect(303, BASE));
  // The portal's recorder, for mentors' spoken answers: the same file the phones' forms use.
  app.get(VOICE_INPUT_SCRIPT, (_req, res) => res.sendFile(join(projectRoot(), 'hub/portal/static/voice-input.js'), { maxAge: '1h' }));
  app.use(`${BASE}/static`, express.static(join(projectRoot(), 'hub/admin/static'), { maxAge: '1h', index: false }));
  app.use(BASE, function noStore(_req, res, next) {
    // Pages hold personal data and figures: never kept by a browser or a proxy.
    res.set('Cache-Control', 'no-store');
    next();
  });

  const couchAuth = (sessionId: string | undefined): CookieAuth => {
    const auth = sessionId ? cookies.get(sessionId) : undefined;
    if (!auth) throw new AppError(401, 'couch-session-ended', 'votre session a expiré à central ; reconnectez-vous');
    return auth;
  };
  const centralAs = (sessionId: string | undefined): CentralAs => {
    return (path, init) => couch(config.centralUrl, path, couchAuth(sessionId), init);
  };

  for (const route of routes) {
    const chain: RequestHandler[] =
      route.roles === 'public'
        ? [loadSession(services.sessions)]
        : [requireRole(services.sessions, [...new Set<ConsoleRole>([...route.roles, 'admin'])], LOGIN_PATH)];
    if (route.method === 'POST') {
      chain.push(bodyParser(route, config));
      if (route.roles !== 'public') chain.push(csrfProtection((res) => sessionOf<ConsoleRole>(res), LOGIN_PATH));
    }
    chain.push(async function consoleHandler(req, res) {
      const session = sessionOf<ConsoleRole>(res);
      const ctx: ConsoleContext = {
        s: services,
        req,
        res,
        session,
        central: centralAs(session?.id),
        couchAuth: () => couchAuth(session?.id),
        page: (title, body, opts) => renderPage(pages, title, config.title, session, body, opts),
        menu: () => (session ? menuFor(pages, session) : []),
      };
      const result = await route.handle(ctx);
      if (!result) return;
      if ('page' in result) {
        res
          .status(result.status ?? 200)
          .type('html')
          .send(result.page.value);
        return;
      }
      if (route.action && session) {
        await services.audit.append({
          actor: session.username,
          role: session.roles.join(','),
          action: route.action,
          target: result.audit?.target,
          detail: result.audit?.detail,
          ip: req.socket.remoteAddress,
        });
      }
      if (result.flash && session) session.flash = result.flash;
      res.redirect(303, result.redirect);
    });
    if (route.method === 'GET') app.get(route.path, ...chain);
    else app.post(route.path, ...chain);
  }

  app.use(function notFound(req, _res, next) {
    next(new AppError(404, 'not-found', `nothing at ${req.method} ${req.path}`));
  });
  const errors: ErrorRequestHandler = function consoleErrors(err, req, res, _next) {
    let e: AppError;
    if (isAppError(err)) e = err;
    else if ((err as { type?: string } | null)?.type === 'entity.too.large') e = new AppError(413, 'body-too-large', 'too large');
    else {
      log.error({ err, method: req.method, path: req.path }, 'console: unhandled error');
      e = new AppError(500, 'internal-error', 'Une erreur est survenue à la console ; réessayez, et prévenez l’administrateur si elle revient.');
    }
    if (res.headersSent) return void res.destroy();
    const session = sessionOf<ConsoleRole>(res);
    if (e.reason === 'couch-session-ended') {
      // CouchDB ended it (timeout, password changed, account removed): so does the console.
      const id = session?.id ?? '';
      cookies.delete(id);
      services.sessions.destroy(id);
      res.clearCookie(SESSION_COOKIE, COOKIE_BASE);
      if (req.method === 'GET') return void res.redirect(303, `${LOGIN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
    }
    const message = FRENCH[e.reason] ?? e.details;
    res.status(e.status).set('Cache-Control', 'no-store');
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ ...e.toJSON(), details: message });
    res
      .type('html')
      .send(
        renderPage(pages, 'Erreur', config.title, session, html`<p class="error" role="alert">${message}</p><p><a href="${BASE}">Retour à l’accueil</a></p>`)
          .value
      );
  };
  app.use(errors);
  return { app, services };
}

export interface RunningConsole {
  url: string;
  port: number;
  server: Server;
  services: ConsoleServices;
  stop(): Promise<void>;
}

/** Listens (port 0 for any free port) and returns how to reach and stop it. */
export async function startConsole(config: ConsoleConfig, log: Logger, pages?: readonly ConsolePage[]): Promise<RunningConsole> {
  const { app, services } = createConsoleApp(config, log, pages);
  const server = createServer(app);
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(config.port, config.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${BASE}`,
    port,
    server,
    services,
    async stop() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
    },
  };
}
