import type { AppError } from '../../content/index.js';
import type { HubDeps } from '../deps.js';
import type { VisitorErrorPage } from '../http/index.js';
import { portalAssets, type StaticAssets } from './assets.js';
import { icon } from './components.js';
import { pageContext, type PageContext } from './context.js';
import { html, type Html } from './html.js';
import type { Messages } from './i18n.js';
import { page } from './layout.js';

/**
 * The portal's error page: the catalog's sentence as its heading and the way home; `reason`,
 * when given, stays readable by a program (tests, a technician's curl) in `data-reason`, never shown.
 */
export function errorPage(ctx: PageContext, title: string, reason?: string): Html {
  return page(ctx, {
    title,
    body: html`${reason ? html`<h1 data-reason="${reason}">` : html`<h1>`}${icon(ctx, 'alert', 'i hi')}${title}</h1><p><a class="btn" href="/">${icon(ctx, 'home')}<span>${ctx.t('nav.home')}</span></a></p>`,
  });
}

/** The catalog's sentence for a media address that failed. */
function mediaSentence(e: AppError): string {
  if (e.reason === 'media-not-found') return 'learn.mediaMissing';
  // A bad address, or no such address at all.
  if (e.status === 400 || e.status === 404) return 'error.notFound';
  return 'error.generic';
}

/**
 * A browser's visit to a media address that fails (a grant's evidence link, a file's address
 * typed or shared): the portal's page in the visitor's language with the same status, where
 * players and fetch() keep the JSON envelope (hub/http's `writeRefusal` decides which).
 */
export function mediaErrorPage(deps: Pick<HubDeps, 'config' | 'catalog'>, messages: Messages, assets: StaticAssets = portalAssets()): VisitorErrorPage {
  return function mediaErrorPage(req, e) {
    const ctx = pageContext(deps, assets, messages, req);
    return errorPage(ctx, ctx.t(mediaSentence(e)), e.reason).value;
  };
}
