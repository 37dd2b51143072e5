import type { PageContext } from './context.js';
import { icon, voice } from './components.js';
import { html, type Html } from './html.js';
import { LANGUAGE_NAMES } from './i18n.js';
import { SECTIONS, sectionOf } from './sections.js';

export interface PageOptions {
  title: string;
  body: Html;
  /** Extra classes on <body>. */
  bodyClass?: string;
  /** Hide the menu and search (language picker, welcome page). */
  bare?: boolean;
  scripts?: string[];
}

function header(ctx: PageContext, bare: boolean): Html {
  const next = encodeURIComponent(ctx.path);
  return html`<header class="top">
  <a class="brand" href="${ctx.kiosk ? '/kiosk' : '/'}">${icon(ctx, 'logo', 'i logo')}<span>${ctx.t('app.name')}</span></a>
  ${ctx.kiosk ? kioskCorner(ctx) : ''}
  <a class="langbtn" href="/langue?next=${next}" aria-label="${ctx.t('lang.change')}">${icon(ctx, 'globe')}<span lang="${ctx.lang}">${LANGUAGE_NAMES[ctx.lang]}</span></a>
  ${
    bare
      ? ''
      : html`<form class="search" role="search" action="/recherche" method="get">
    <label class="vh" for="q">${ctx.t('search.label')}</label>
    <input id="q" name="q" type="search" maxlength="200" placeholder="${ctx.t('search.placeholder')}" autocomplete="off">
    <button type="submit" aria-label="${ctx.t('search.button')}">${icon(ctx, 'search')}</button>
  </form>`
  }
</header>`;
}

function nav(ctx: PageContext): Html {
  const section = sectionOf(ctx.path);
  const current = section === 'kiosk' ? 'accueil' : section;
  const items = [{ id: 'accueil', key: 'nav.home', path: ctx.kiosk ? '/kiosk' : '/', icon: 'home' }, ...SECTIONS];
  return html`<nav class="menu" aria-label="${ctx.t('nav.label')}"><ul>${items.map(
    (s) => html`<li><a href="${s.path}"${current === s.id ? html` aria-current="page"` : ''}>${icon(ctx, s.icon)}<span>${ctx.t(s.key)}</span></a></li>`
  )}${ctx.kiosk ? '' : html`<li><a href="/hors-ligne"${current === 'hors-ligne' ? html` aria-current="page"` : ''}>${icon(ctx, 'offline')}<span>${ctx.t('nav.offline')}</span></a></li>`}</ul></nav>`;
}

function kioskCorner(ctx: PageContext): Html {
  return html`<aside class="corner" aria-label="${ctx.t('kiosk.time')}">
  <span>${icon(ctx, 'clock')}<time id="clock">${ctx.fmt.time(new Date())}</time></span>
  <span>${icon(ctx, 'sync')}${ctx.t('kiosk.sync')} : <b id="sync">${ctx.t('kiosk.syncUnknown')}</b></span>
</aside>`;
}

/** The page shell every section shares. */
export function page(ctx: PageContext, o: PageOptions): Html {
  // The recorder only where there is a voice field (posts, proposals, questions) or a voice
  // message to an official: other pages stay one script.
  const recorder = o.body.value.includes('data-voice-input') || o.body.value.includes('data-official=') ? [ctx.assets.url('voice-input.js')] : [];
  const scripts = [ctx.assets.url('portal.js'), ...recorder, ...(ctx.kiosk ? [ctx.assets.url('kiosk.js')] : []), ...(o.scripts ?? [])];
  return html`<!doctype html>
<html lang="${ctx.lang}"${ctx.kiosk ? html` class="kiosk"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — ${ctx.config.spaceName}</title>
<meta name="theme-color" content="#1f3a5f">
<link rel="stylesheet" href="${ctx.assets.url('portal.css')}">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="icon" href="${ctx.assets.url('logo.svg')}" type="image/svg+xml">
${scripts.map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body class="${ctx.kiosk ? 'kiosk' : 'phone'} ${o.bodyClass ?? ''}" data-lang="${ctx.lang}" data-offline-msg="${ctx.t('common.offlineNow')}">
<a class="skip" href="#main">${ctx.t('skip')}</a>
${header(ctx, o.bare ?? false)}
${o.bare ? '' : nav(ctx)}
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="foot">
<p>${ctx.t('footer.text')}</p>
${ctx.messages.coverage(ctx.lang) < 100 ? html`<p>${icon(ctx, 'globe', 'i sm')} ${ctx.t('lang.coverage', { language: LANGUAGE_NAMES[ctx.lang], percent: ctx.messages.coverage(ctx.lang) })}</p>` : ''}
<p>${icon(ctx, 'lock', 'i sm')} ${ctx.t('footer.private')}</p>
</footer>
</body>
</html>`;
}

/** A big icon tile linking to a section, with its own ▶. */
export function tile(ctx: PageContext, s: { key: string; path: string; icon: string }): Html {
  return html`<li class="tile"><a href="${s.path}">${icon(ctx, s.icon, 'i ti')}<span>${ctx.t(s.key)}</span></a>${voice(ctx, s.key)}</li>`;
}
