/**
 * The auth room: accounts of technicians and facilitators (scrypt, stored on the hub).
 * Sessions and login are built on top of `verifyPassword`.
 */
export { UserStore, ROLES, Username, Password, type Role, type UserInfo } from './users.js';
