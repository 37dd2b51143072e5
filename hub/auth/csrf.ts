import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../content/index.js';
import type { Session } from './session.js';
import { formText } from '../http/index.js';

export const CSRF_FIELD = '_csrf';
export const LOGIN_CSRF_COOKIE = 'espace_login_csrf';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request sent: the form field, or the X-CSRF-Token header. */
function sentToken(req: Parameters<RequestHandler>[0]): string | undefined {
  return formText(req.body, CSRF_FIELD) ?? req.get('x-csrf-token') ?? undefined;
}

/** Refuses with 403 unless `token` equals the expected one. */
export function checkCsrf(sent: string | undefined, expected: string): void {
  if (!sent) throw new AppError(403, 'csrf-token-missing', 'this form has no security token; reload the page and send it again');
  if (!same(sent, expected))
    throw new AppError(403, 'csrf-token-invalid', "this form's security token is wrong or from an old page; reload the page and send it again");
}

/**
 * Synchroniser-token CSRF protection: every state-changing request of a session must carry
 * that session's token (put in each form by the pages). Runs after the body is parsed and
 * the session is known.
 */
export function csrfProtection(
  sessionOf: (res: Parameters<RequestHandler>[1]) => Pick<Session<string>, 'csrf'> | null,
  loginPath = '/admin/login'
): RequestHandler {
  return function csrfProtection(req, res, next) {
    if (req.method === 'GET' || req.method === 'HEAD') return void next();
    const session = sessionOf(res);
    if (!session) throw new AppError(401, 'login-required', `log in first at ${loginPath}`);
    checkCsrf(sentToken(req), session.csrf);
    next();
  };
}

/** A fresh token for the login form, before any session exists (double-submit with a cookie). */
export function newLoginToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The login form's token must match the cookie set with the form. */
export function checkLoginCsrf(req: Parameters<RequestHandler>[0], cookieValue: string | undefined): void {
  checkCsrf(sentToken(req), cookieValue ?? '\0missing');
}
