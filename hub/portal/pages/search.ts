import type { Router } from 'express';
import { heading, icon, slugOf } from '../components.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';

const TYPE_ICON: Record<string, string> = {
  course: 'learn',
  lesson: 'learn',
  document: 'inform',
  official: 'officials',
  organisation: 'organisations',
  consultation: 'participate',
  event: 'agenda',
  announcement: 'megaphone',
  indicator: 'chart',
};

/** Where a search hit lives in the portal. */
export function hrefOf(type: string, id: string): string {
  const slug = slugOf(id);
  switch (type) {
    case 'course':
      return `/apprendre/${slug}`;
    case 'lesson':
      return `/apprendre/lecon/${slug}`;
    case 'document':
      return `/sinformer/${slug}`;
    case 'official':
      return `/elus/${slug}`;
    case 'organisation':
      return `/organisations#${slug}`;
    case 'consultation':
      return `/participer/${slug}`;
    case 'event':
      return `/agenda#${slug}`;
    case 'indicator':
      return `/sinformer#${slug}`;
    default:
      return `/#${slug}`;
  }
}

export function searchRoutes(router: Router, portal: Portal): void {
  router.get('/recherche', async function search(req, res) {
    const ctx = portal.ctx(req);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    let hits: { id: string; type: string; title: string }[] = [];
    if (q) {
      await portal.deps.search.whenReady();
      hits = portal.deps.search.search(q, { lang: ctx.lang, limit: 30 });
    }
    const body = html`${heading(ctx, 'search.title', 'search')}
<form class="search big" role="search" action="/recherche" method="get">
  <label class="vh" for="q2">${ctx.t('search.label')}</label>
  <input id="q2" name="q" type="search" value="${q}" maxlength="200" placeholder="${ctx.t('search.placeholder')}">
  <button class="btn" type="submit">${icon(ctx, 'search')}<span>${ctx.t('search.button')}</span></button>
</form>
${
  q
    ? html`<p role="status">${ctx.t('search.results', { count: hits.length, query: q })}</p>
<ul class="list">${hits.map((h) => html`<li class="card"><a class="rowlink" href="${hrefOf(h.type, h.id)}">${icon(ctx, TYPE_ICON[h.type] ?? 'search', 'i md')}<span class="grow"><b>${h.title}</b><small>${ctx.t(`type.${h.type}`)}</small></span>${icon(ctx, 'chevron', 'i sm')}</a></li>`)}</ul>`
    : html`<p>${ctx.t('search.empty')}</p>`
}`;
    portal.send(res, page(ctx, { title: ctx.t('search.title'), body }));
  });
}
