import { consolePage, type ConsoleChrome, type SafeHtml, type Value } from '../../../hub/index.js';
import type { Session } from '../../../hub/index.js';
import type { ConsolePage, ConsoleRoute } from './page-table.js';
import { ROLE_LABEL, type ConsoleRole } from './roles.js';

export const BASE = '/console';
export const LOGIN_PATH = `${BASE}/login`;
export const LOGOUT_PATH = `${BASE}/logout`;
export const STYLESHEET = `${BASE}/static/admin.css`;
export const VOICE_INPUT_SCRIPT = `${BASE}/static/voice-input.js`;

/** Whether this person may use a route: an admin may use every one. */
export function allowed(session: Session<ConsoleRole>, route: Pick<ConsoleRoute, 'roles'>): boolean {
  if (route.roles === 'public') return true;
  const roles = route.roles;
  return session.roles.includes('admin') || session.roles.some((r) => roles.includes(r));
}

/** The menu entries this person may open, in order. */
export function menuFor(pages: readonly ConsolePage[], session: Session<ConsoleRole>): { href: string; label: string }[] {
  return pages
    .filter((p) => p.nav && p.routes.some((r) => r.method === 'GET' && r.path === p.nav!.href && allowed(session, r)))
    .sort((a, b) => a.nav!.order - b.nav!.order)
    .map((p) => ({ href: p.nav!.href, label: p.nav!.label }));
}

/** The hub console's page chrome with central's name, menu and paths. */
export function renderPage(
  pages: readonly ConsolePage[],
  title: string,
  brand: string,
  session: Session<ConsoleRole> | null,
  body: Value,
  opts: { refreshSeconds?: number; scripts?: string[] } = {}
): SafeHtml {
  const chrome: ConsoleChrome = {
    brand,
    nav: session ? menuFor(pages, session) : [],
    who: session ? `${session.username} (${session.roles.map((r) => ROLE_LABEL[r]).join(', ')})` : '',
    logoutPath: LOGOUT_PATH,
    stylesheet: STYLESHEET,
  };
  return consolePage({ title, session, chrome, body, refreshSeconds: opts.refreshSeconds, scripts: opts.scripts });
}
