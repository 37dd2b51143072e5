import { CSRF_FIELD, ROLE_NAMES, type Session } from '../auth/index.js';
import { html, type SafeHtml, type Value } from './html.js';

interface NavItem {
  href: string;
  label: string;
  technician?: boolean;
  /** Shown to the studio's volunteers (role `voice`), who see nothing else. */
  studio?: boolean;
  /** Shown to elected officials (role `official`), who see nothing else. */
  official?: boolean;
}

const NAV: NavItem[] = [
  { href: '/admin', label: 'Accueil' },
  { href: '/admin/events', label: 'Événements' },
  { href: '/admin/members', label: 'Membres' },
  { href: '/admin/messages', label: 'Messages' },
  { href: '/admin/community', label: 'Communauté' },
  { href: '/admin/consultations', label: 'Consultations' },
  { href: '/admin/proposals', label: 'Propositions', official: true },
  { href: '/admin/appels', label: 'Appels' },
  { href: '/admin/plans', label: 'Plans', official: true },
  { href: '/admin/opportunities', label: 'Opportunités' },
  { href: '/admin/sms', label: 'SMS' },
  { href: '/admin/indicators', label: 'Indicateurs' },
  { href: '/admin/studio', label: 'Studio', studio: true },
  { href: '/admin/health', label: 'Santé', technician: true },
  { href: '/admin/sync', label: 'Synchronisation', technician: true },
  { href: '/admin/packs', label: 'Contenus', technician: true },
  { href: '/admin/accounts', label: 'Comptes', technician: true },
  { href: '/admin/audit', label: 'Journal', technician: true },
];

/** The hidden field every form of a session carries. */
export function csrfField(session: Pick<Session<string>, 'csrf'>): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${session.csrf}">`;
}

/** A one-button form (mark forwarded, close, remove…): POST with the CSRF token. */
export function actionButton(session: Pick<Session<string>, 'csrf'>, action: string, label: string, fields: Record<string, string> = {}, cls = ''): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">${csrfField(session)}${Object.entries(fields).map(
    ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`
  )}<button type="submit" class="${cls}">${label}</button></form>`;
}

export interface PageOptions {
  title: string;
  session: Session | null;
  spaceName: string;
  body: Value;
  /** Pages that follow live figures reload themselves (no JavaScript). */
  refreshSeconds?: number;
  /** The few pages that add a script (the studio's recorder); each works without it. */
  scripts?: string[];
}

/** What differs between the hub's console and central's: their name, menu, sign-out and stylesheet. */
export interface ConsoleChrome {
  /** Shown in the header and the window title, e.g. "Espace connecté de Kayes · console". */
  brand: string;
  nav: readonly { href: string; label: string }[];
  /** "awa (animateur·rice)"; empty when nobody is signed in. */
  who: string;
  logoutPath: string;
  stylesheet: string;
}

/** Any console's page (the hub's /admin, central's /console): header, menu, the last action's message, the body. */
export function consolePage(o: {
  title: string;
  session: Session<string> | null;
  chrome: ConsoleChrome;
  body: Value;
  refreshSeconds?: number;
  lang?: string;
  scripts?: string[];
}): SafeHtml {
  const s = o.session;
  const c = o.chrome;
  const flash = s?.flash;
  if (s) s.flash = undefined;
  return html`<!doctype html>
<html lang="${o.lang ?? 'fr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${o.refreshSeconds ? html`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ''}
<title>${o.title} — ${c.brand}</title>
<link rel="stylesheet" href="${c.stylesheet}">
${(o.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<header class="top">
  <div class="brand">${c.brand}</div>
  ${
    s
      ? html`<nav aria-label="Console"><ul>${c.nav.map((n) => html`<li><a href="${n.href}">${n.label}</a></li>`)}</ul></nav>
  <div class="who">${c.who} ${actionButton(s, c.logoutPath, 'Se déconnecter')}</div>`
      : ''
  }
</header>
<main>
${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
<h1>${o.title}</h1>
${o.body}
</main>
</body>
</html>`;
}

/** The hub console's page: its menu for the role. */
export function page(o: PageOptions): SafeHtml {
  const s = o.session;
  const chrome: ConsoleChrome = {
    brand: `${o.spaceName} · console`,
    nav: s ? NAV.filter((n) => (s.role === 'voice' ? n.studio : s.role === 'official' ? n.official : !n.technician || s.role === 'technician')) : [],
    who: s ? `${s.username} (${ROLE_NAMES[s.role]})` : '',
    logoutPath: '/admin/logout',
    stylesheet: '/admin/static/admin.css',
  };
  return consolePage({ title: o.title, session: s, chrome, body: o.body, refreshSeconds: o.refreshSeconds, scripts: o.scripts });
}

/** A labelled select of values, with one chosen. */
export function select(
  name: string,
  options: readonly (readonly [string, string])[],
  chosen: string | undefined,
  extra: { required?: boolean; id?: string } = {}
): SafeHtml {
  return html`<select name="${name}" id="${extra.id ?? name}" ${extra.required ? html`required` : ''}>${options.map(
    ([v, label]) => html`<option value="${v}" ${v === chosen ? html`selected` : ''}>${label}</option>`
  )}</select>`;
}

export const SEX_OPTIONS = [
  ['F', 'Femme'],
  ['M', 'Homme'],
] as const;

export const SEX_LABEL: Record<string, string> = { F: 'femme', M: 'homme', unknown: 'inconnu' };
export const ageLabel = (a: string): string => (a === 'unknown' ? 'âge inconnu' : `${a} ans`);

/** A date and time for people in Mali (UTC), e.g. "22/11/2026 09:00". */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
