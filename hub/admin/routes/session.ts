import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';
import { AppError, isAppError } from '../../../content/index.js';
import {
  CSRF_FIELD,
  LOGIN_CSRF_COOKIE,
  LoginWaitError,
  SESSION_COOKIE,
  checkLoginCsrf,
  newLoginToken,
  sessionOf,
  throttledAuditLimiter,
  type UserInfo,
} from '../../auth/index.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { AdminResult, AdminRoute, AdminServices } from '../route-table.js';
import { STAFF } from '../route-table.js';
import { formBody } from '../../http/index.js';

const COOKIE_BASE = { httpOnly: true, sameSite: 'strict', path: '/admin' } as const;

/** Only a console path of this hub: never an absolute or protocol-relative URL. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/|\?|$)/.test(next) && !/\/\/|\\/.test(next) ? next : '/admin';
}

/** Whether a throttled try of this name from this address is worth an audit line (one a minute). */
const auditThrottled = throttledAuditLimiter();

function loginPage(s: AdminServices, res: Response, next: string, message?: string, status = 200, username = ''): AdminResult {
  const token = newLoginToken();
  res.cookie(LOGIN_CSRF_COOKIE, token, { ...COOKIE_BASE, maxAge: 60 * 60 * 1000 });
  const body = html`
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/admin/login" class="stack narrow">
  <input type="hidden" name="${CSRF_FIELD}" value="${token}">
  <input type="hidden" name="next" value="${next}">
  <label for="username">Nom d’utilisateur</label>
  <input id="username" name="username" autocomplete="username" autocapitalize="none" required value="${username}">
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Se connecter</button>
</form>
<p class="hint">Les comptes sont créés par le technicien avec <code>espace user add</code>.</p>`;
  return { page: page({ title: 'Connexion', session: null, spaceName: s.deps.config.spaceName, body }), status };
}

const ipOf = (req: Request) => req.ip ?? 'unknown';

export const sessionRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/login',
    roles: 'public',
    async handle(s, req, res) {
      if (sessionOf(res)) return { redirect: safeNext(req.query.next) };
      return loginPage(s, res, safeNext(req.query.next));
    },
  },
  {
    method: 'POST',
    path: '/admin/login',
    roles: 'public',
    async handle(s, req, res) {
      // Anything but a form (JSON, no body) leaves req.body undefined: treat it as an empty form.
      const body = formBody(req.body);
      const next = safeNext(body.next);
      checkLoginCsrf(req, parseCookie(req.headers.cookie ?? '')[LOGIN_CSRF_COOKIE]);
      const username = typeof body.username === 'string' ? body.username.trim().toLowerCase().slice(0, 64) : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const ip = ipOf(req);
      let user: UserInfo;
      try {
        user = await s.login.attempt(username, password, ip);
      } catch (e) {
        if (!isAppError(e)) throw e;
        if (e instanceof LoginWaitError) {
          res.set('Retry-After', String(e.retryAfterSeconds));
          // A flood of refused tries is one line a minute per name and address, not one fsync each.
          if (auditThrottled(`${username}\n${ip}`)) await s.audit.append({ actor: username, action: 'login.throttled', ip });
        } else if (e.status === 429) {
          res.set('Retry-After', '5');
        } else {
          await s.audit.append({ actor: username, action: 'login.failed', ip });
        }
        return loginPage(s, res, next, e.details, e.status, username);
      }
      const session = s.sessions.create(user);
      res.clearCookie(LOGIN_CSRF_COOKIE, COOKIE_BASE);
      res.cookie(SESSION_COOKIE, session.id, COOKIE_BASE);
      await s.audit.append({ actor: user.username, role: user.role, action: 'login', ip });
      return { redirect: next };
    },
  },
  {
    method: 'POST',
    path: '/admin/logout',
    roles: STAFF,
    action: 'logout',
    async handle(s, _req, res) {
      const session = sessionOf(res);
      if (!session) throw new AppError(401, 'login-required', 'log in first at /admin/login');
      s.sessions.destroy(session.id);
      res.clearCookie(SESSION_COOKIE, COOKIE_BASE);
      return { redirect: '/admin/login' };
    },
  },
];
