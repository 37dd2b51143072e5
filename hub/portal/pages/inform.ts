import type { Router } from 'express';
import { DOCUMENT_KINDS, type Indicator } from '../../../content/index.js';
import { bar, heading, icon, play, plain, richText, sampleMark, slugOf, summary, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { downloadLink, filesOf } from './downloads.js';
import { keepButton } from './keep.js';
import { byCode, byName } from '../order.js';

/** Indicators come in sets (a commune's figures over several years): a page holds a region's set (the demo's 26). */
const INDICATORS_PER_PAGE = 60;
/** The filter's value for every commune. */
const ALL = 'toutes';

const KIND_ICON: Record<string, string> = { plan: 'map', guide: 'inform', loi: 'law', rapport: 'chart', fiche: 'inform', budget: 'money' };

/** One indicator as a labelled bar chart: the figure, and women/men side by side when known. */
function indicatorCard(ctx: PageContext, ind: Indicator, communeName: string): Html {
  const unit = ind.unit ?? '';
  const value = `${ctx.fmt.number(ind.value, 1)}${unit ? ` ${unit}` : ''}`;
  const sexes = ind.bySex && (ind.bySex.F !== undefined || ind.bySex.M !== undefined) ? ind.bySex : undefined;
  const max = Math.max(sexes?.F ?? 0, sexes?.M ?? 0, 1);
  const pct = unit === '%' ? Math.min(100, Math.max(0, ind.value)) : undefined;
  return html`<article class="card indicator" id="${slugOf(ind._id)}">
  <h3>${icon(ctx, 'chart', 'i sm')}${text(ctx, ind.label)}</h3>
  <p class="big">${value}</p>
  ${pct !== undefined ? bar(pct) : ''}
  ${
    sexes
      ? html`<dl class="bars">${(['F', 'M'] as const)
          .filter((s) => sexes[s] !== undefined)
          .map(
            (s) =>
              html`<div class="barrow ${s}"><dt>${icon(ctx, s === 'F' ? 'woman' : 'man', 'i sm')}${ctx.t(s === 'F' ? 'inform.women' : 'inform.men')}</dt><dd>${bar(((sexes[s] ?? 0) / max) * 100, s)}<b>${ctx.fmt.number(sexes[s]!, 1)}${unit ? ` ${unit}` : ''}</b></dd></div>`
          )}</dl>`
      : ''
  }
  ${ind.byAge ? html`<dl class="bars">${Object.entries(ind.byAge).map(([band, v]) => html`<div class="barrow"><dt>${ctx.messages.has('fr', `age.${band}`) ? ctx.t(`age.${band}`) : band}</dt><dd><b>${ctx.fmt.number(v, 1)}${unit ? ` ${unit}` : ''}</b></dd></div>`)}</dl>` : ''}
  <p class="meta">${communeName} · ${ctx.t('inform.year', { year: ind.year })} · ${ctx.t('inform.source', { source: ind.source })}</p>
  ${ind.illustrative ? html`<p class="tag warn">${icon(ctx, 'info', 'i sm')}${ctx.t('common.illustrative')}</p>` : ''}
</article>`;
}

export function informRoutes(router: Router, portal: Portal): void {
  const { catalog } = portal.deps;

  router.get('/sinformer', async function inform(req, res) {
    const ctx = portal.ctx(req);
    const [docSums, indSums, communes] = await Promise.all([portal.digest.of('document'), portal.digest.of('indicator'), portal.digest.of('commune')]);
    const names = new Map([...communes.byId.values()].map((c) => [slugOf(c.id), c.name]));
    const here = ctx.config.commune;
    // Filters (work without JavaScript): a commune and a kind of document. The figures show one
    // commune at a time, the hub's own first, so a phone is not handed every commune's set.
    const kinds = DOCUMENT_KINDS.filter((k) => [...docSums.byId.values()].some((d) => d.kind === k));
    const kind = typeof req.query.type === 'string' && (kinds as readonly string[]).includes(req.query.type) ? req.query.type : '';
    const places = [...new Set([...[...indSums.byId.values()].map((i) => i.commune), ...[...docSums.byId.values()].flatMap((d) => d.communes)])].sort((a, b) =>
      byName(names.get(a) ?? a, names.get(b) ?? b)
    );
    const askedCommune = typeof req.query.commune === 'string' && (req.query.commune === ALL || places.includes(req.query.commune)) ? req.query.commune : '';
    const commune = askedCommune || (places.includes(here) ? here : ALL);
    const docOrder = docSums
      .sorted('newest', (a, b) => byCode(b.publishedAt, a.publishedAt) || byCode(a.id, b.id))
      // A document naming no commune concerns every one.
      .filter((d) => (!kind || d.kind === kind) && (commune === ALL || d.communes.length === 0 || d.communes.includes(commune)));
    // The chosen commune's figures (or all, the hub's commune first); newest year first.
    const indOrder = indSums
      .sorted(
        `commune ${here}`,
        (a, b) => Number(b.commune === here) - Number(a.commune === here) || byCode(a.commune, b.commune) || b.year - a.year || byCode(a.id, b.id)
      )
      .filter((i) => commune === ALL || i.commune === commune);
    const docSlice = pageOf(req.query, docOrder.length);
    const indSlice = pageOf(req.query, indOrder.length, INDICATORS_PER_PAGE, 'indicateurs');
    const [docs, indicators] = await Promise.all([
      portal.digest.docs(
        'document',
        docOrder.slice(docSlice.start, docSlice.end).map((d) => d.id)
      ),
      portal.digest.docs(
        'indicator',
        indOrder.slice(indSlice.start, indSlice.end).map((i) => i.id)
      ),
    ]);
    const keep = {
      page: docSlice.page > 1 ? String(docSlice.page) : '',
      indicateurs: indSlice.page > 1 ? String(indSlice.page) : '',
      commune: askedCommune,
      type: kind,
    };
    const body = html`${heading(ctx, 'nav.inform', 'inform')}
<p class="lead">${ctx.t('inform.intro')}</p>
<form class="filters" method="get" action="/sinformer">
  <div><label for="commune">${ctx.t('orgs.commune')}</label>
  <select id="commune" name="commune"><option value="${ALL}"${commune === ALL ? html` selected` : ''}>${ctx.t('orgs.all')}</option>${places.map((c) => html`<option value="${c}"${c === commune ? html` selected` : ''}>${names.get(c) ?? c}</option>`)}</select></div>
  <div><label for="type">${ctx.t('inform.kind')}</label>
  <select id="type" name="type"><option value="">${ctx.t('orgs.all')}</option>${kinds.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${ctx.t(`kind.${k}`)}</option>`)}</select></div>
  <button class="btn secondary" type="submit">${icon(ctx, 'filter')}<span>${ctx.t('orgs.filter')}</span></button>
</form>
<section>${heading(ctx, 'inform.documents', 'inform', 2)}
${docs.length ? '' : html`<p>${ctx.t('inform.noDocuments')}</p>`}
<ul class="cards">${docs.map(
      (d) =>
        html`<li class="card doc"><a class="rowlink" href="/sinformer/${slugOf(d._id)}">${icon(ctx, KIND_ICON[d.kind] ?? 'inform', 'i lg')}<span class="grow"><b>${text(ctx, d.title)}</b><small>${ctx.t(`kind.${d.kind}`)}${d.publishedAt ? html` · ${ctx.fmt.date(d.publishedAt)}` : ''}</small><span class="sum">${summary(ctx, d.summary, 110)}</span></span>${icon(ctx, 'chevron', 'i sm')}</a>${play(ctx, d.titleAudio, plain(ctx, d.title))}</li>`
    )}</ul>${pager(ctx, '/sinformer', docSlice, keep)}</section>
<section id="indicateurs">${heading(ctx, 'inform.indicators', 'chart', 2)}
<div class="grid">${indicators.map((i) => indicatorCard(ctx, i, names.get(i.commune) ?? i.commune))}</div>${pager(ctx, '/sinformer', indSlice, keep, 'indicateurs', '#indicateurs')}</section>`;
    portal.send(res, page(ctx, { title: ctx.t('inform.title'), body }));
  });

  router.get('/sinformer/:slug', async function document(req, res) {
    const ctx = portal.ctx(req);
    const d = await catalog.get(`document:${req.params.slug}`);
    const files = await filesOf(portal, d.file ? [d.file] : []);
    const body = html`<p><a class="back" href="/sinformer">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.inform')}</a></p>
<article class="document">
<div class="heading"><h1>${icon(ctx, KIND_ICON[d.kind] ?? 'inform', 'i hi')}<span>${text(ctx, d.title)}</span></h1>${play(ctx, d.titleAudio, plain(ctx, d.title))}</div>
<p class="meta"><span class="tag">${ctx.t(`kind.${d.kind}`)}</span> ${d.publishedAt ? ctx.t('inform.published', { date: ctx.fmt.date(d.publishedAt) }) : ''} ${sampleMark(ctx, d.sample)}</p>
<p class="lead">${text(ctx, d.summary)}</p>
${keepButton(ctx, `/hors-ligne/liste/document/${slugOf(d._id)}`)}
${d.file ? html`<p>${downloadLink(ctx, d.file, files.get(d.file))}</p>` : ''}
${richText(ctx, d.body)}
${d.source ? html`<p class="meta">${ctx.t('inform.source', { source: d.source })}</p>` : ''}
</article>`;
    portal.send(res, page(ctx, { title: plain(ctx, d.title), body }));
  });
}
