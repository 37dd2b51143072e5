import type { Router } from 'express';
import { DOMAINS, type Audio, type ContentOf, type Organisation } from '../../../content/index.js';
import { heading, icon, play, sampleMark, slugOf, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { byCode, byName } from '../order.js';

/** Names in French order (accents where a reader expects them), built once. */

function contact(ctx: PageContext, o: ContentOf<'organisation'>): Html {
  const c: Organisation['contact'] = o.contact ?? {};
  if (!c.phone && !c.email && !c.address) return html``;
  // On the shared screen nothing opens another app: numbers are written, not linked.
  return html`<ul class="contact">
${c.phone ? html`<li>${icon(ctx, 'phone', 'i sm')} ${ctx.kiosk ? c.phone : html`<a href="tel:${c.phone.replace(/\s/g, '')}">${c.phone}</a>`}</li>` : ''}
${c.email ? html`<li>${icon(ctx, 'mail', 'i sm')} ${c.email}</li>` : ''}
${c.address ? html`<li>${icon(ctx, 'pin', 'i sm')} ${c.address}</li>` : ''}
</ul>`;
}

export function organisationsRoutes(router: Router, portal: Portal): void {
  router.get('/organisations', async function organisations(req, res) {
    const ctx = portal.ctx(req);
    const [all, communes] = await Promise.all([portal.digest.of('organisation'), portal.digest.of('commune')]);
    const names = new Map([...communes.byId.values()].map((c) => [slugOf(c.id), c.name]));
    const domain = typeof req.query.domaine === 'string' && (DOMAINS as readonly string[]).includes(req.query.domaine) ? req.query.domaine : '';
    const commune = typeof req.query.commune === 'string' && /^[a-z0-9-]{1,63}$/.test(req.query.commune) ? req.query.commune : '';
    const alphabetical = all.sorted('name', (a, b) => byName(a.name, b.name) || byCode(a.id, b.id));
    const usedCommunes = [...new Set(alphabetical.flatMap((o) => o.communes))].sort();
    const usedDomains = DOMAINS.filter((d) => alphabetical.some((o) => (o.domains as string[]).includes(d)));
    const matching = alphabetical.filter((o) => (!domain || (o.domains as string[]).includes(domain)) && (!commune || o.communes.includes(commune)));
    const slice = pageOf(req.query, matching.length);
    const shown = await portal.digest.docs(
      'organisation',
      matching.slice(slice.start, slice.end).map((o) => o.id)
    );
    const body = html`${heading(ctx, 'nav.organisations', 'organisations')}
<p class="lead">${ctx.t('orgs.intro')}</p>
<form class="filters" method="get" action="/organisations">
  <div><label for="domaine">${ctx.t('orgs.domain')}</label>
  <select id="domaine" name="domaine"><option value="">${ctx.t('orgs.all')}</option>${usedDomains.map((d) => html`<option value="${d}"${d === domain ? html` selected` : ''}>${ctx.t(`domain.${d}`)}</option>`)}</select></div>
  <div><label for="commune">${ctx.t('orgs.commune')}</label>
  <select id="commune" name="commune"><option value="">${ctx.t('orgs.all')}</option>${usedCommunes.map((c) => html`<option value="${c}"${c === commune ? html` selected` : ''}>${names.get(c) ?? c}</option>`)}</select></div>
  <button class="btn secondary" type="submit">${icon(ctx, 'filter')}<span>${ctx.t('orgs.filter')}</span></button>
</form>
<p role="status">${ctx.t('orgs.count', { count: matching.length })}</p>
<ul class="cards">${shown.map(
      (o) => html`<li class="card org" id="${slugOf(o._id)}">
  <h2>${icon(ctx, 'organisations', 'i md')}<span>${o.acronym ? html`<abbr>${o.acronym}</abbr> — ` : ''}${o.name}</span></h2>
  <p class="meta"><span class="tag">${ctx.t(`orgKind.${o.kind}`)}</span> ${o.founded ? ctx.t('orgs.founded', { year: o.founded }) : ''} ${sampleMark(ctx, o.sample)}</p>
  <div class="titlerow"><p>${text(ctx, o.description)}</p>${play(ctx, (o as { descriptionAudio?: Audio }).descriptionAudio, o.name)}</div>
  <ul class="tags">${o.domains.map((d) => html`<li class="tag">${ctx.t(`domain.${d}`)}</li>`)}${(o.communes ?? []).map((c) => html`<li class="tag place">${icon(ctx, 'pin', 'i sm')}${names.get(c) ?? c}</li>`)}</ul>
  ${contact(ctx, o)}
</li>`
    )}</ul>
${pager(ctx, '/organisations', slice, { domaine: domain, commune })}`;
    portal.send(res, page(ctx, { title: ctx.t('orgs.title'), body }));
  });
}
