import { icon } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';

/** *Garder hors-ligne*: shown by the offline island once a service worker can keep things. */
export function keepButton(ctx: PageContext, listUrl: string): Html {
  if (ctx.kiosk) return html``;
  return html`<div class="keep" data-keep="${listUrl}" data-kept-label="${ctx.t('learn.kept')}" data-keeping-label="${ctx.t('offline.keeping')}" data-failed-label="${ctx.t('learn.keepFailed')}" hidden>
  <button type="button" class="btn secondary">${icon(ctx, 'offline')}<span>${ctx.t('learn.keep')}</span></button>
  <p class="keepstate" role="status"></p>
</div>`;
}
