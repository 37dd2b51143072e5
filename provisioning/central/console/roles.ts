/**
 * Who uses central's console. Accounts and roles live in CouchDB (`_users`): a server admin
 * is `admin` here and may do everything; `editor` publishes content; `analyst` reads the
 * merged submissions (figures across hubs); `moderator` and `mentor` work the community's
 * queue and the members' questions; `jury` scores the applications to calls for local
 * initiatives; `official` (an elected official, limited to the communes given as roles
 * `commune:<slug>`) answers proposals and updates plans. A hub's account (`hub`) never signs in.
 * A feature needing a new kind of person adds its role here and gives it to users in CouchDB.
 */
export const CONSOLE_ROLES = ['admin', 'editor', 'analyst', 'moderator', 'mentor', 'jury', 'official'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const ROLE_LABEL: Record<ConsoleRole, string> = {
  admin: 'administrateur·rice',
  editor: 'éditeur·rice',
  analyst: 'analyste',
  moderator: 'modérateur·rice',
  mentor: 'mentor·e',
  jury: 'juré·e',
  official: 'élu·e',
};

/** Everyone who may sign in: for pages every console user sees (the home page). */
export const EVERYONE: readonly ConsoleRole[] = CONSOLE_ROLES;

/** The console roles a CouchDB user holds: an admin (`_admin`) holds them all. */
export function consoleRoles(couchRoles: readonly string[]): ConsoleRole[] {
  if (couchRoles.includes('_admin')) return [...CONSOLE_ROLES];
  return CONSOLE_ROLES.filter((r) => couchRoles.includes(r));
}
