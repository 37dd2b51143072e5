import { parseCookie } from 'cookie';
import { AppError, isAppError } from '../../../content/index.js';
import {
  CSRF_FIELD,
  LOGIN_CSRF_COOKIE,
  LoginWaitError,
  SESSION_COOKIE,
  checkLoginCsrf,
  newLoginToken,
  throttledAuditLimiter,
  waitInWords,
  type LoginTicket,
  formBody,
} from '../../../hub/index.js';
import { html } from '../../../hub/index.js';
import { authSessionCookie } from '../couch.js';
import { BASE, LOGIN_PATH, LOGOUT_PATH } from './layout.js';
import type { ConsoleContext, ConsoleResult, ConsoleRoute } from './page-table.js';
import { consoleRoles, EVERYONE } from './roles.js';
import type { CouchSessions } from './couch-sessions.js';

export const COOKIE_BASE = { httpOnly: true, sameSite: 'strict', path: BASE } as const;

/** Only a console path: never an absolute or protocol-relative URL. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/|\?|$)/.test(next) && !/\/\/|\\/.test(next) ? next : BASE;
}

/** Whether a throttled try of this name from this address is worth an audit line (one a minute). */
const auditThrottled = throttledAuditLimiter();

function loginPage(c: ConsoleContext, next: string, typed: string, message?: string, status = 200): ConsoleResult {
  const token = newLoginToken();
  c.res.cookie(LOGIN_CSRF_COOKIE, token, { ...COOKIE_BASE, secure: c.req.secure, maxAge: 60 * 60 * 1000 });
  const body = html`
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="${LOGIN_PATH}" class="stack narrow">
  <input type="hidden" name="${CSRF_FIELD}" value="${token}">
  <input type="hidden" name="next" value="${next}">
  <label for="username">Nom d’utilisateur</label>
  <input id="username" name="username" autocomplete="username" autocapitalize="none" value="${typed}" required>
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Se connecter</button>
</form>
<p class="hint">Les comptes sont ceux de CouchDB à central : un administrateur les crée (page <em>Comptes</em>, ou <code>espace central editor add</code>).</p>`;
  return { page: c.page('Connexion', body), status };
}

/** Sign-in with CouchDB's own `_session`, and sign-out. */
export function sessionRoutes(cookies: CouchSessions): ConsoleRoute[] {
  return [
    {
      method: 'GET',
      path: LOGIN_PATH,
      roles: 'public',
      async handle(c) {
        if (c.session) return { redirect: safeNext(c.req.query.next) };
        return loginPage(c, safeNext(c.req.query.next), '');
      },
    },
    {
      method: 'POST',
      path: LOGIN_PATH,
      roles: 'public',
      async handle(c) {
        const body = formBody(c.req.body);
        const next = safeNext(body.next);
        const username = typeof body.username === 'string' ? body.username.trim().slice(0, 128) : '';
        const password = typeof body.password === 'string' ? body.password : '';
        try {
          checkLoginCsrf(c.req, parseCookie(c.req.headers.cookie ?? '')[LOGIN_CSRF_COOKIE]);
        } catch (e) {
          if (!isAppError(e)) throw e;
          return loginPage(c, next, username, 'Ce formulaire a expiré : recommencez.', 403);
        }
        // Behind nginx (trust proxy: loopback), req.ip is the browser's address, not nginx's.
        const ip = c.req.ip ?? c.req.socket.remoteAddress ?? 'unknown';
        // Counted before anything is awaited, so concurrent guesses see one another (hub/auth/throttle.ts).
        let ticket: LoginTicket;
        try {
          ticket = c.s.throttle.begin(username, ip);
        } catch (e) {
          if (!(e instanceof LoginWaitError)) throw e;
          c.res.set('Retry-After', String(e.retryAfterSeconds));
          // A flood of refused tries is one audit line a minute per name and address.
          if (auditThrottled(`${username}\n${ip}`)) await c.s.audit.append({ actor: username, action: 'login.throttled', ip });
          return loginPage(c, next, username, `Trop d’essais manqués : réessayez dans ${waitInWords(e.retryAfterSeconds)}.`, 429);
        }
        let answer: Awaited<ReturnType<typeof signIn>>;
        try {
          answer = username && password ? await signIn(c.s.config.centralUrl, username, password) : null;
        } catch (e) {
          // central did not answer: the password was never checked, the try is not held against anyone.
          c.s.throttle.cancelled(ticket);
          throw e;
        }
        if (!answer) {
          c.s.throttle.failed(ticket);
          await c.s.audit.append({ actor: username, action: 'login.failed', ip });
          return loginPage(c, next, username, 'Nom d’utilisateur ou mot de passe incorrect.', 401);
        }
        c.s.throttle.succeeded(ticket);
        const roles = consoleRoles(answer.roles);
        if (!roles.length) {
          await c.s.audit.append({ actor: username, action: 'login.no-role', ip });
          return loginPage(c, next, username, 'Ce compte n’a pas accès à la console (il faut le rôle admin, editor ou analyst dans CouchDB).', 403);
        }
        const session = c.s.sessions.create({ username: answer.name, role: roles[0]!, roles });
        cookies.set(session.id, { username: answer.name, cookie: answer.cookie });
        c.res.clearCookie(LOGIN_CSRF_COOKIE, COOKIE_BASE);
        c.res.cookie(SESSION_COOKIE, session.id, { ...COOKIE_BASE, secure: c.req.secure });
        await c.s.audit.append({ actor: answer.name, role: roles.join(','), action: 'login', ip });
        return { redirect: next };
      },
    },
    {
      method: 'POST',
      path: LOGOUT_PATH,
      roles: EVERYONE,
      action: 'logout',
      async handle(c) {
        const session = c.session!;
        // Ends CouchDB's session too; if central is unreachable the console's ends anyway.
        await c.central('_session', { method: 'DELETE' }).catch(() => undefined);
        cookies.delete(session.id);
        c.s.sessions.destroy(session.id);
        c.res.clearCookie(SESSION_COOKIE, COOKIE_BASE);
        return { redirect: LOGIN_PATH };
      },
    },
  ];
}

/** CouchDB's answer to a name and password: who, their roles and the AuthSession cookie; null when refused. */
async function signIn(centralUrl: string, name: string, password: string): Promise<{ name: string; roles: string[]; cookie: string } | null> {
  let res: Response;
  try {
    res = await fetch(new URL('_session', centralUrl.endsWith('/') ? centralUrl : centralUrl + '/'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name, password }),
    });
  } catch (e) {
    throw new AppError(503, 'central-unreachable', 'central (CouchDB) ne répond pas : réessayez dans un instant, ou prévenez l’administrateur', { cause: e });
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; name?: string; roles?: string[] };
  if (res.status === 401) return null;
  const cookie = authSessionCookie(res.headers.get('set-cookie'));
  if (!res.ok || !body.ok || !cookie) throw new AppError(502, 'central-error', `central a répondu ${res.status} à la connexion ; prévenez l’administrateur`);
  return { name: body.name ?? name, roles: body.roles ?? [], cookie };
}
