import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { AppError } from '../../content/index.js';
import { HashQueue, LoginGuard, LoginThrottle, SessionStore, UserStore, csrfProtection, loadSession, requireRole, sessionOf } from '../auth/index.js';
import { AuditLog } from '../audit/index.js';
import { projectRoot } from '../config/index.js';
import type { HubDeps } from '../deps.js';
import { HubFigures } from './figures.js';
import { ADMIN_ROUTES } from './routes/index.js';
import type { AdminRoute, AdminServices } from './route-table.js';

/** The console's services, from the hub's config: accounts, sessions, login guard, audit log. */
export function adminServices(deps: HubDeps): AdminServices {
  const a = deps.config.admin;
  const users = new UserStore(deps.config.dataDir);
  const throttle = new LoginThrottle({
    freeAttempts: a.loginFreeAttempts,
    firstDelayMs: a.loginFirstDelaySeconds * 1000,
    maxDelayMs: a.loginMaxDelayMinutes * 60_000,
    ipFailures: a.loginIpFailures,
    ipWindowMs: a.loginIpWindowMinutes * 60_000,
  });
  return {
    deps,
    users,
    sessions: new SessionStore({ idleMs: a.sessionIdleMinutes * 60_000, absoluteMs: a.sessionMaxHours * 3_600_000 }),
    login: new LoginGuard(users, throttle, new HashQueue(a.loginHashConcurrency, a.loginHashQueue)),
    audit: new AuditLog(deps.config.dataDir),
    figures: new HubFigures(deps),
  };
}

/** A form's documents in memory: what the handler refuses (type, size) never touches the card. */
const FILES_MAX_BYTES = 8 * 1024 * 1024;
function filesParser(files: NonNullable<AdminRoute['files']>): RequestHandler {
  let upload: RequestHandler | undefined;
  return async function multipartFiles(req, res, next) {
    const multer = (await import('multer')).default;
    upload ??= multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: FILES_MAX_BYTES, files: files.reduce((n, f) => n + f.maxCount, 0), fields: 100 },
    }).fields([...files]);
    upload(req, res, (err: unknown) => {
      if ((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE')
        return void next(new AppError(413, 'upload-too-large', 'un fichier dépasse 8 Mo : photographiez ou scannez la pièce en plus petit'));
      next(err);
    });
  };
}

function bodyParser(route: AdminRoute, deps: HubDeps): RequestHandler {
  if (route.body === 'multipart' && route.files) return filesParser(route.files);
  if (route.body === 'multipart') {
    const dir = join(deps.config.dataDir, 'uploads');
    // Uploads half-received when the hub stopped are of no use: start empty.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let upload: RequestHandler | undefined;
    return async function multipartBody(req, res, next) {
      // multer is loaded with the first upload: most hubs never take one through the console.
      upload ??= (await import('multer'))
        .default({ dest: dir, limits: { fileSize: Math.floor(deps.config.admin.uploadMaxMB * 1024 * 1024), files: 1, fields: 10 } })
        .single('file');
      upload(req, res, (err: unknown) => {
        if ((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') {
          return void next(
            new AppError(413, 'upload-too-large', `the file is larger than ${deps.config.admin.uploadMaxMB} MB; carry it by USB with "espace content import"`)
          );
        }
        // Whatever happens next (refused token, bad pack, success), the upload does not stay on the card.
        const file = req.file;
        if (file) res.once('close', () => void rm(file.path, { force: true }));
        next(err);
      });
    };
  }
  return express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 200 });
}

/**
 * The facilitator and technician console under /admin: every route from the route table,
 * each behind requireRole (its roles), a body parser and the CSRF check for POSTs; every
 * change is written to the audit log before it is acknowledged.
 */
export function adminRouter(deps: HubDeps, services: AdminServices = adminServices(deps)): Router {
  const router = Router();
  const s = services;
  router.use('/admin/static', express.static(join(projectRoot(), 'hub/admin/static'), { maxAge: '1h', index: false }));
  router.use('/admin', function noStore(_req, res, next) {
    // Pages hold personal data: never kept by a browser or a proxy.
    res.set('Cache-Control', 'no-store');
    next();
  });
  /**
   * An account removed, demoted or given a new password with `espace user` (another process)
   * loses its open sessions at its next request, not only when they expire.
   */
  const accountStillValid: RequestHandler = async function accountStillValid(req, res, next) {
    const session = sessionOf(res)!;
    const user = await s.users.get(session.username);
    if (user && user.role === session.role && Date.parse(user.updatedAt) <= session.createdAt) return void next();
    s.sessions.destroy(session.id);
    if (req.method === 'GET' || req.method === 'HEAD') return void res.redirect(303, '/admin/login');
    throw new AppError(401, 'login-required', 'your account was changed or removed; log in again at /admin/login');
  };
  for (const route of ADMIN_ROUTES) {
    const chain: RequestHandler[] = route.roles === 'public' ? [loadSession(s.sessions)] : [requireRole(s.sessions, route.roles), accountStillValid];
    if (route.method === 'POST') {
      chain.push(bodyParser(route, deps));
      if (route.roles !== 'public') chain.push(csrfProtection(sessionOf));
    }
    chain.push(async function adminHandler(req, res) {
      const result = await route.handle(s, req, res);
      if (!result) return;
      if ('page' in result) {
        res
          .status(result.status ?? 200)
          .type('html')
          .send(result.page.value);
        return;
      }
      const session = sessionOf(res);
      if (route.action && session) {
        await s.audit.append({
          actor: session.username,
          role: session.role,
          action: route.action,
          target: result.audit?.target,
          detail: result.audit?.detail,
          ip: req.ip,
        });
      }
      if (result.flash && session) session.flash = result.flash;
      res.redirect(303, result.redirect);
    });
    if (route.method === 'GET') router.get(route.path, ...chain);
    else router.post(route.path, ...chain);
  }
  return router;
}
