import type { RequestHandler, Response } from 'express';
import { parseCookie } from 'cookie';
import { AppError } from '../../content/index.js';
import { SESSION_COOKIE, type Session, type SessionStore } from './session.js';
import type { Role } from './users.js';

/** The session a request was authenticated with (set by requireRole). */
export function sessionOf<R extends string = Role>(res: Response): Session<R> | null {
  return (res.locals.session as Session<R> | undefined) ?? null;
}

/** Looks the request's session up without requiring one (login page, public routes). */
export function loadSession<R extends string>(sessions: SessionStore<R>): RequestHandler {
  return function loadSession(req, res, next) {
    const id = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
    res.locals.session = sessions.get(id) ?? undefined;
    next();
  };
}

/**
 * Lets a request through only with a live session whose role is allowed. Without a session,
 * a page (GET) is redirected to the login form and anything else gets 401; with a role not
 * allowed, 403.
 */
export function requireRole<R extends string>(sessions: SessionStore<R>, roles: readonly R[], loginPath = '/admin/login'): RequestHandler {
  return function requireRole(req, res, next) {
    const id = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
    const session = sessions.get(id);
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.set('Cache-Control', 'no-store').redirect(303, `${loginPath}?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      throw new AppError(401, 'login-required', `log in first at ${loginPath}`);
    }
    if (!session.roles.some((r) => roles.includes(r))) {
      throw new AppError(403, 'forbidden-role', `this page is for ${roles.join(' or ')} accounts; you are logged in as ${session.role}`);
    }
    res.locals.session = session;
    next();
  };
}
