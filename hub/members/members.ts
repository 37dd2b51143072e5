import type { Request, RequestHandler, Response } from 'express';
import type { Member } from '../../content/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log/index.js';
import type { Database } from '../storage/index.js';
import { MemberSessions, memberCookie, memberForm, memberOf, memberSession, requireMember, MEMBER_COOKIE, type SignedInMember } from './session.js';
import { MemberStore, type MemberView } from './store.js';

/**
 * The members room's one object: the store (codes, PINs, suspension) and member sessions on the
 * portal. Features that let members act (posts, supports, applications) use:
 * - `members.session()` as middleware (once, before their routes: the portal mounts it),
 *   `members.require()` then (after the body parser) `members.checkForm()` on a POST route,
 *   then `memberOf(res)` for who is acting; forms carry `memberOf(res).session.csrf` as `_csrf`;
 * - `members.authenticate(code, pin, ip)` when a code and PIN come another way (an SMS, a kiosk form);
 * - `members.get(code)` for a code's member and whether it is suspended.
 */
export class Members {
  readonly store: MemberStore;
  readonly sessions: MemberSessions;
  private readonly middleware: RequestHandler;

  constructor(db: Database, catalog: Catalog, config: Config, log?: Logger) {
    const c = config.community;
    this.store = new MemberStore(
      db,
      catalog,
      {
        hubId: config.hubId,
        pinFreeAttempts: c.pinFreeAttempts,
        pinFirstDelaySeconds: c.pinFirstDelaySeconds,
        pinMaxDelayMinutes: c.pinMaxDelayMinutes,
        pinCodeFailures: c.pinCodeFailures,
        pinIpFailures: c.pinIpFailures,
        pinIpWindowMinutes: c.pinIpWindowMinutes,
        // The console's bounds on hashing apply to PINs too (a queue of their own).
        hashConcurrency: config.admin.loginHashConcurrency,
        hashQueue: config.admin.loginHashQueue,
      },
      log
    );
    this.sessions = new MemberSessions({ idleMs: c.memberSessionIdleMinutes * 60_000 });
    this.middleware = memberSession(this.sessions, this.store);
  }

  authenticate(code: string, pin: string, ip: string): Promise<Member & { _rev: string }> {
    return this.store.authenticate(code, pin, ip);
  }

  get(code: string): Promise<MemberView | null> {
    return this.store.get(code);
  }

  /** Middleware: reads the member cookie into `res.locals.member`. */
  session(): RequestHandler {
    return this.middleware;
  }

  /** Middleware: 401 unless a member is signed in. */
  require(): RequestHandler {
    return requireMember();
  }

  /** Middleware, after the body is parsed: the form came from a page of this hub (Origin, or the session's `_csrf` field). */
  checkForm(): RequestHandler {
    return memberForm();
  }

  /** Code and PIN typed on the portal: opens a session and sets its cookie. */
  async signIn(req: Request, res: Response, code: string, pin: string): Promise<Member> {
    const member = await this.authenticate(code, pin, req.ip ?? '');
    memberCookie(res, this.sessions.create(member.code));
    return member;
  }

  /** The facilitator opens a session for a member at the kiosk (no PIN: the facilitator vouches, and it is audited). */
  signInFor(res: Response, code: string, facilitator: string): void {
    memberCookie(res, this.sessions.create(code, facilitator));
  }

  signOut(res: Response): void {
    const current = memberOf(res);
    if (current) this.sessions.destroy(current.session.id);
    memberCookie(res, null);
  }

  /** After a suspension or a new PIN: the code's open sessions end. */
  endSessions(code: string): void {
    this.sessions.destroyCode(code);
  }
}

export { memberOf, MEMBER_COOKIE, type SignedInMember };
