import { AppError, isAppError } from '../../content/index.js';
import type { HashQueue } from './hash-queue.js';
import type { LoginThrottle } from './throttle.js';
import type { UserInfo, UserStore } from './users.js';

/**
 * A console login: counted by the throttle before anything is awaited past the account's
 * unlock date, then the password checked in the bounded hash queue. Throws 401
 * `login-failed` for a wrong name or password (the same answer for both), 429
 * `login-throttled` when this account must wait at this address or the address has failed
 * too often, 429 `login-busy` when the hub is already hashing all it may.
 */
export class LoginGuard {
  constructor(
    private readonly users: UserStore,
    readonly throttle: LoginThrottle,
    readonly hashing: HashQueue
  ) {}

  async attempt(username: string, password: string, ip: string): Promise<UserInfo> {
    const unlockedAt = await this.users.unlockedAt(username);
    // Synchronous from here to the count: concurrent attempts see one another.
    const ticket = this.throttle.begin(username, ip, unlockedAt);
    let user: UserInfo | null;
    try {
      user = username && password ? await this.hashing.run(() => this.users.verifyPassword(username, password)) : null;
    } catch (e) {
      if (isAppError(e) && e.reason === 'login-busy') this.throttle.cancelled(ticket);
      throw e;
    }
    if (!user) {
      this.throttle.failed(ticket);
      throw new AppError(401, 'login-failed', 'Nom d’utilisateur ou mot de passe incorrect.');
    }
    this.throttle.succeeded(ticket);
    return user;
  }
}
