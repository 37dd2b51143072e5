import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { AppError, type Member } from '../../content/index.js';
import { ExpiringSessions, type Expiring } from '../auth/index.js';
import type { MemberStore } from './store.js';
import { formText } from '../http/index.js';

export const MEMBER_COOKIE = 'espace_membre';

export interface MemberSession extends Expiring {
  readonly code: string;
  /** The token every member form carries (phones send "Origin: null" under the portal's no-referrer policy). */
  readonly csrf: string;
  /** Opened by a facilitator for the member (at the kiosk), not with the PIN: who did it. */
  readonly via?: string;
}

/**
 * Member sessions, the console's store with a member code: a session ends after `idleMs`
 * without a request, 12 hours after sign-in, when the member is suspended, or when the hub
 * restarts (members sign in again — nothing is lost).
 */
export class MemberSessions extends ExpiringSessions<MemberSession> {
  constructor(opts: { idleMs: number; absoluteMs?: number; now?: () => number }) {
    super({ ...opts, absoluteMs: opts.absoluteMs ?? 12 * 3_600_000 });
  }

  create(code: string, via?: string): MemberSession {
    return this.open({ code, csrf: randomBytes(24).toString('base64url'), ...(via ? { via } : {}) });
  }

  /** Ends every session of a code (suspended, or a new PIN given). */
  destroyCode(code: string): void {
    this.destroyWhere((s) => s.code === code);
  }
}

/** The signed-in member of this request (set by memberSession), or null for a visitor. */
export interface SignedInMember {
  session: MemberSession;
  member: Member & { _rev: string };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/**
 * Reads the member cookie: puts the signed-in member in `res.locals.member` (or leaves it
 * unset). A suspended code's sessions end here, at its next request.
 */
export function memberSession(sessions: MemberSessions, store: MemberStore): RequestHandler {
  return async function memberSession(req, res, next) {
    const session = sessions.get(cookieValue(req.headers.cookie, MEMBER_COOKIE));
    if (!session) return void next();
    const view = await store.get(session.code);
    if (!view || view.suspended) {
      sessions.destroyCode(session.code);
      return void next();
    }
    res.locals.member = { session, member: view.member } satisfies SignedInMember;
    next();
  };
}

export function memberOf(res: Response): SignedInMember | null {
  return (res.locals.member as SignedInMember | undefined) ?? null;
}

/** Only a signed-in member may go on (401 otherwise). */
export function requireMember(): RequestHandler {
  return function requireMember(_req, res, next) {
    if (!memberOf(res)) throw new AppError(401, 'member-required', 'sign in with your member code and PIN first (at /membre)');
    next();
  };
}

/**
 * A member's form must come from a page of this hub: its Origin (or Referer) names this host,
 * or — browsers send "Origin: null" under the portal's no-referrer policy — it carries the
 * session's token (`_csrf`). Runs after the body is parsed.
 */
export function memberForm(): RequestHandler {
  return function memberForm(req, res, next) {
    const me = memberOf(res);
    const from = req.headers.origin && req.headers.origin !== 'null' ? req.headers.origin : req.headers.referer;
    let host: string | undefined;
    try {
      host = from ? new URL(from).host : undefined;
    } catch {
      host = undefined;
    }
    const token = formText(req.body, '_csrf');
    if (host === req.headers.host || (me && token !== undefined && token === me.session.csrf)) return void next();
    throw new AppError(403, 'cross-site-post', 'this form must be sent from a page of this space; open the page again');
  };
}

/** The cookie's attributes: not readable by scripts, sent only from this hub's own pages. */
export function memberCookie(res: Response, session: MemberSession | null): void {
  if (session) res.cookie(MEMBER_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', path: '/' });
  else res.clearCookie(MEMBER_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/' });
}
