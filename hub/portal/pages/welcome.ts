import type { Router } from 'express';
import { icon, voice } from '../components.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';

/** The page the sign-in sheet opens on: no Internet here, what there is, and *Entrer*. */
export function welcomeRoutes(router: Router, portal: Portal): void {
  router.get('/bienvenue', function welcome(req, res) {
    const ctx = portal.ctx(req);
    const body = html`<section class="welcome">
<div class="heading"><h1>${icon(ctx, 'logo', 'i hi')}<span>${ctx.t('welcome.title')}</span></h1>${voice(ctx, 'welcome.noInternet')}</div>
<p class="big">${icon(ctx, 'nowifi', 'i md')} ${ctx.t('welcome.noInternet')}</p>
<p class="lead">${ctx.t('welcome.what')}</p>
<form method="post" action="/bienvenue/entrer"><button class="btn big" type="submit">${icon(ctx, 'enter')}<span>${ctx.t('welcome.enter')}</span></button></form>
<p>${ctx.t('welcome.address', { address: `http://${ctx.config.dnsName}/` })}</p>
<p><a href="/langue?next=%2Fbienvenue">${icon(ctx, 'globe', 'i sm')} ${ctx.t('lang.change')}</a></p>
</section>`;
    portal.send(res, page(ctx, { title: ctx.t('welcome.title'), body, bare: true }));
  });
}
