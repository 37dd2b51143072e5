/**
 * The auth room: accounts of technicians and facilitators (scrypt, stored on the hub).
 * Sessions and login are built on top of `verifyPassword`.
 */
export { UserStore, ROLES, ROLE_NAMES, Username, Password, type Role, type UserInfo } from './users.js';
export { SessionStore, SESSION_COOKIE, type Session, type SessionOptions } from './session.js';
export { CSRF_FIELD, LOGIN_CSRF_COOKIE, checkCsrf, checkLoginCsrf, csrfProtection, newLoginToken } from './csrf.js';
export { Lockout, type LockoutOptions } from './lockout.js';
export { loadSession, requireRole, sessionOf } from './require-role.js';
