import type { Router } from 'express';
import { AppError, type Commune, type Document, type Indicator } from '../../../content/index.js';
import { bar, heading, icon, play, plain, richText, sampleMark, slugOf, summary, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';
import { keepButton } from './keep.js';

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
  ${sexes
    ? html`<dl class="bars">${(['F', 'M'] as const)
        .filter((s) => sexes[s] !== undefined)
        .map(
          (s) => html`<div class="barrow ${s}"><dt>${icon(ctx, s === 'F' ? 'woman' : 'man', 'i sm')}${ctx.t(s === 'F' ? 'inform.women' : 'inform.men')}</dt><dd>${bar(((sexes[s] ?? 0) / max) * 100, s)}<b>${ctx.fmt.number(sexes[s]!, 1)}${unit ? ` ${unit}` : ''}</b></dd></div>`,
        )}</dl>`
    : ''}
  ${ind.byAge ? html`<dl class="bars">${Object.entries(ind.byAge).map(([band, v]) => html`<div class="barrow"><dt>${ctx.messages.has('fr', `age.${band}`) ? ctx.t(`age.${band}`) : band}</dt><dd><b>${ctx.fmt.number(v, 1)}${unit ? ` ${unit}` : ''}</b></dd></div>`)}</dl>` : ''}
  <p class="meta">${communeName} · ${ctx.t('inform.year', { year: ind.year })} · ${ctx.t('inform.source', { source: ind.source })}</p>
  ${ind.illustrative ? html`<p class="tag warn">${icon(ctx, 'info', 'i sm')}${ctx.t('common.illustrative')}</p>` : ''}
</article>`;
}

export function informRoutes(router: Router, portal: Portal): void {
  const { catalog } = portal.deps;

  router.get('/sinformer', async function inform(req, res) {
    const ctx = portal.ctx(req);
    const [docs, indicators, communes] = await Promise.all([portal.all<Document>('document'), portal.all<Indicator>('indicator'), portal.all<Commune>('commune')]);
    const names = new Map(communes.map((c) => [slugOf(c._id), c.name]));
    docs.sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
    // The hub's own commune first, then the others; newest year first.
    indicators.sort((a, b) => Number(b.commune === ctx.config.commune) - Number(a.commune === ctx.config.commune) || a.commune.localeCompare(b.commune) || b.year - a.year);
    const body = html`${heading(ctx, 'nav.inform', 'inform')}
<p class="lead">${ctx.t('inform.intro')}</p>
<section>${heading(ctx, 'inform.documents', 'inform', 2)}
<ul class="cards">${docs.map(
      (d) => html`<li class="card doc"><a class="rowlink" href="/sinformer/${slugOf(d._id)}">${icon(ctx, KIND_ICON[d.kind] ?? 'inform', 'i lg')}<span class="grow"><b>${text(ctx, d.title)}</b><small>${ctx.t(`kind.${d.kind}`)}${d.publishedAt ? html` · ${ctx.fmt.date(d.publishedAt)}` : ''}</small><span class="sum">${summary(ctx, d.summary, 110)}</span></span>${icon(ctx, 'chevron', 'i sm')}</a>${play(ctx, d.titleAudio, plain(ctx, d.title))}</li>`,
    )}</ul></section>
<section id="indicateurs">${heading(ctx, 'inform.indicators', 'chart', 2)}
<div class="grid">${indicators.map((i) => indicatorCard(ctx, i, names.get(i.commune) ?? i.commune))}</div></section>`;
    portal.send(res, page(ctx, { title: ctx.t('inform.title'), body }));
  });

  router.get('/sinformer/:slug', async function document(req, res) {
    const ctx = portal.ctx(req);
    const d = await catalog.get<Document>(`document:${req.params.slug}`);
    if (d.type !== 'document') throw new AppError(404, 'content-not-found', 'no such document');
    const body = html`<p><a class="back" href="/sinformer">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.inform')}</a></p>
<article class="document">
<div class="heading"><h1>${icon(ctx, KIND_ICON[d.kind] ?? 'inform', 'i hi')}<span>${text(ctx, d.title)}</span></h1>${play(ctx, d.titleAudio, plain(ctx, d.title))}</div>
<p class="meta"><span class="tag">${ctx.t(`kind.${d.kind}`)}</span> ${d.publishedAt ? ctx.t('inform.published', { date: ctx.fmt.date(d.publishedAt) }) : ''} ${sampleMark(ctx, d.sample)}</p>
<p class="lead">${text(ctx, d.summary)}</p>
${keepButton(ctx, `/hors-ligne/liste/document/${slugOf(d._id)}`)}
${d.file ? html`<p><a class="btn secondary" href="/media/${d.file}" download>${icon(ctx, 'download')}<span>${ctx.t('inform.download')}</span></a></p>` : ''}
${richText(ctx, d.body)}
${d.source ? html`<p class="meta">${ctx.t('inform.source', { source: d.source })}</p>` : ''}
</article>`;
    portal.send(res, page(ctx, { title: plain(ctx, d.title), body }));
  });
}
