/**
 * The auth room: accounts of technicians and facilitators (scrypt, stored on the hub).
 * Logins go through `LoginGuard`: the throttle (per account and address, per address) and
 * the bounded hash queue, then `verifyPassword`; sessions are built on top.
 */
export { UserStore, ROLES, ROLE_NAMES, Username, Password, type Role, type UserInfo } from './users.js';
export { SessionStore, SESSION_COOKIE, type Session, type SessionOptions } from './session.js';
export { ExpiringSessions, type Expiring, type ExpiringOptions } from './expiring-sessions.js';
export { CSRF_FIELD, LOGIN_CSRF_COOKIE, checkCsrf, checkLoginCsrf, csrfProtection, newLoginToken } from './csrf.js';
export {
  LoginThrottle,
  LoginWaitError,
  spell as waitInWords,
  throttledAuditLimiter,
  type FailedLogin,
  type LoginThrottleOptions,
  type LoginTicket,
} from './throttle.js';
export { HashQueue } from './hash-queue.js';
export { LoginGuard } from './login.js';
export { loadSession, requireRole, sessionOf } from './require-role.js';
