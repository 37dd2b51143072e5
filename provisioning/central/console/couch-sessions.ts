import type { CookieAuth } from '../couch.js';

/**
 * The CouchDB AuthSession cookie of each console session, kept on the server (the browser
 * only holds the console's own session cookie). Forgotten with the session, or after
 * `maxAgeMs` whatever happens.
 */
export class CouchSessions {
  private readonly bySession = new Map<string, { auth: CookieAuth; at: number }>();

  constructor(private readonly maxAgeMs: number) {}

  set(sessionId: string, auth: CookieAuth): void {
    const t = Date.now();
    for (const [id, v] of this.bySession) if (t - v.at > this.maxAgeMs) this.bySession.delete(id);
    this.bySession.set(sessionId, { auth, at: t });
  }

  get(sessionId: string): CookieAuth | undefined {
    return this.bySession.get(sessionId)?.auth;
  }

  delete(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}
