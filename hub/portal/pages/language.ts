import type { Router } from 'express';
import { LANGUAGES, type Language } from '../../../content/index.js';
import { icon, voice } from '../components.js';
import { html } from '../html.js';
import { LANGUAGE_NAMES } from '../i18n.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';
import { safeNext, setLanguage } from '../request.js';

export function languageRoutes(router: Router, portal: Portal): void {
  router.get('/langue', function picker(req, res) {
    const ctx = portal.ctx(req);
    const next = safeNext(req.query.next);
    const body = html`<div class="heading"><h1>${icon(ctx, 'globe', 'i hi')}<span>${ctx.t('lang.title')}</span></h1>${voice(ctx, 'lang.title')}</div>
<p class="lead">${ctx.t('lang.intro')}</p>
<ul class="langs">${LANGUAGES.map((lang) => {
      const coverage = portal.messages.coverage(lang);
      return html`<li><a class="langpick" href="/langue/${lang}?next=${encodeURIComponent(next)}" lang="${lang}" hreflang="${lang}"${lang === ctx.lang ? html` aria-current="true"` : ''}>
  <span class="badge" aria-hidden="true">${lang.toUpperCase()}</span><b>${LANGUAGE_NAMES[lang]}</b>
  ${coverage < 100 ? html`<small lang="${ctx.messages.has(ctx.lang, 'lang.coverage') ? ctx.lang : 'fr'}">${ctx.t('lang.coverage', { language: LANGUAGE_NAMES[lang], percent: coverage })}</small>` : ''}
</a></li>`;
    })}</ul>`;
    portal.send(res, page(ctx, { title: ctx.t('lang.title'), body, bare: true }));
  });

  router.get('/langue/:lang', function choose(req, res) {
    const lang = req.params.lang as Language;
    const next = safeNext(req.query.next);
    if (!(LANGUAGES as readonly string[]).includes(lang)) return void res.redirect(303, `/langue?next=${encodeURIComponent(next)}`);
    setLanguage(res, lang);
    res.redirect(303, next);
  });
}
