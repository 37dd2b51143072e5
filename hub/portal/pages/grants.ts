import type { Router } from 'express';
import { AppError, type Call, type PublishedGrantReport } from '../../../content/index.js';
import { bar, heading, icon, plain, slugOf, text } from '../components.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { Portal } from '../portal.js';
import { keepButton } from './keep.js';

const BASE = '/appels';
const today = () => new Date().toISOString().slice(0, 10);

function state(ctx: PageContext, c: Call): Html {
  const d = today();
  const [cls, label] = c.results
    ? ['published', ctx.t('grants.resultsOut')]
    : d < c.opens
      ? ['pending', ctx.t('grants.notYet', { date: ctx.fmt.date(c.opens) })]
      : d <= c.deadline
        ? ['sent', ctx.t('grants.open', { date: ctx.fmt.date(c.deadline) })]
        : ['rejected', ctx.t('grants.closed', { date: ctx.fmt.date(c.deadline) })];
  return html`<span class="state ${cls}" data-state="${cls}">${label}</span>`;
}

function report(ctx: PageContext, r: PublishedGrantReport, amount: number): Html {
  return html`<li class="report">
    <p class="meta">${ctx.fmt.date(r.at.slice(0, 10))}</p>
    <p class="meta progress">${bar(r.done)} <b>${ctx.t('grants.done', { share: Math.round(r.done) })}</b></p>
    <p class="meta">${ctx.t('grants.spent', { spent: ctx.fmt.number(r.spent), amount: ctx.fmt.number(amount) })}</p>
    ${r.text ? html`<p>${r.text}</p>` : ''}
    ${r.voice ? html`<p><audio controls preload="none" src="/media/${r.voice}" aria-label="${ctx.t('grants.listen')}"></audio></p>` : ''}
    ${r.lines.length ? html`<ul class="lines">${r.lines.map((l) => html`<li>${l.label} : ${ctx.fmt.number(l.amount)} FCFA</li>`)}</ul>` : ''}
    ${r.evidence.map((e) =>
      e.kind === 'photo'
        ? html`<img src="/media/${e.media}" alt="${ctx.t('grants.evidence')}" loading="lazy" width="320" />`
        : html`<a href="/media/${e.media}">${icon(ctx, 'inform', 'i sm')}${ctx.t('grants.evidence')}</a>`
    )}
  </li>`;
}

/**
 * The calls for local initiatives on the portal (issue 15): what each call is, its criteria,
 * who may apply and until when, then its results and what the funded initiatives report —
 * content only (central publishes all of it), so the pages are cached and kept offline like
 * plans. Applying happens at the space with the facilitator (hub console, /admin/appels).
 */
export function grantRoutes(router: Router, portal: Portal): void {
  const grants = () => portal.deps.grants;

  router.get(BASE, async function callList(req, res) {
    const ctx = portal.ctx(req);
    const calls = await grants().calls();
    const body = html`<p><a class="back" href="/participer">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.participate')}</a></p>
      ${heading(ctx, 'grants.title', 'money')}
      <p class="lead">${ctx.t('grants.intro')}</p>
      <ul class="list calls">
        ${calls.map(
          (c) => html`<li class="card">
            <a class="rowlink" href="${BASE}/${slugOf(c._id)}"
              ><span class="grow"><b>${text(ctx, c.title)}</b><small>${state(ctx, c)} · ${ctx.fmt.number(c.budget)} FCFA</small></span>${icon(ctx, 'chevron', 'i sm')}</a
            >
          </li>`
        )}
      </ul>
      ${calls.length ? '' : html`<p>${ctx.t('grants.none')}</p>`}`;
    portal.send(res, page(ctx, { title: ctx.t('grants.title'), body }));
  });

  router.get(`${BASE}/:slug`, async function callPage(req, res) {
    const ctx = portal.ctx(req);
    const slug = req.params.slug;
    if (!/^[a-z0-9][a-z0-9-]{0,80}$/.test(slug)) throw new AppError(404, 'call-not-found', 'no such call');
    const c = await grants().call(`call:${slug}`);
    const funded = (c.results?.ranking ?? []).filter((r) => r.funded);
    const body = html`<p><a class="back" href="${BASE}">${icon(ctx, 'back', 'i sm')}${ctx.t('grants.title')}</a></p>
      <article class="call">
        <h1>${text(ctx, c.title)}</h1>
        <p class="meta">${state(ctx, c)} ${ctx.fmt.date(c.opens)} – ${ctx.fmt.date(c.deadline)}</p>
        ${keepButton(ctx, `/hors-ligne/liste/call/${slug}`)}
        <p class="lead">${text(ctx, c.text)}</p>
        <p class="meta budget">${ctx.t('grants.budget', { budget: ctx.fmt.number(c.budget), max: ctx.fmt.number(c.maxPerGrant) })}</p>
        <h2>${ctx.t('grants.who')}</h2>
        <p>${c.eligible.map((k) => ctx.t(`grants.kind.${k}`)).join(', ')} · ${ctx.t('grants.communes')} : ${c.communes.join(', ')}</p>
        <h2>${ctx.t('grants.criteria')}</h2>
        <ul class="criteria">${c.criteria.map((k) => html`<li>${text(ctx, k.label)} — ${ctx.t('grants.points', { max: k.max })}</li>`)}</ul>
        ${c.documents.length ? html`<h2>${ctx.t('grants.documents')}</h2><ul>${c.documents.map((d) => html`<li>${text(ctx, d.label)}${d.required ? html` <small>(${ctx.t('grants.required')})</small>` : ''}</li>`)}</ul>` : ''}
        ${c.results ? '' : html`<p class="notice info">${ctx.t('grants.howToApply')}</p>`}
        ${
          c.results
            ? html`<section class="results">
                <h2>${ctx.t('grants.results')}</h2>
                <p class="meta">${ctx.t('grants.fundedTotal', { amount: ctx.fmt.number(c.results.fundedTotal), count: funded.length })}</p>
                <table class="ranking">
                  <thead><tr><th>${ctx.t('grants.rank')}</th><th>${ctx.t('grants.organisation')}</th><th>${ctx.t('grants.score')}</th><th>${ctx.t('grants.amount')}</th></tr></thead>
                  <tbody>
                    ${c.results.ranking.map(
                      (r) =>
                        html`<tr data-funded="${r.funded ? 'yes' : 'no'}"><td>${r.rank}</td><td>${r.organisation} <small>${r.commune}</small></td><td>${ctx.fmt.number(r.score)}</td><td>${r.funded ? `${ctx.fmt.number(r.amount)} FCFA` : ctx.t('grants.notFunded')}</td></tr>`
                    )}
                  </tbody>
                </table>
              </section>`
            : ''
        }
        ${
          funded.length
            ? html`<section class="funded">
                <h2>${ctx.t('grants.reports')}</h2>
                ${funded.map((f) => {
                  const reps = (c.reports ?? []).filter((r) => r.application === f.application).sort((a, b) => b.at.localeCompare(a.at));
                  return html`<div class="initiative" id="${f.application.replace(/:/g, '-')}">
                    <h3>${f.organisation} <small>${f.commune} · ${ctx.fmt.number(f.amount)} FCFA</small></h3>
                    ${reps.length ? html`<ul class="reports">${reps.map((r) => report(ctx, r, f.amount))}</ul>` : html`<p class="meta">${ctx.t('grants.noReport')}</p>`}
                  </div>`;
                })}
              </section>`
            : ''
        }
      </article>`;
    portal.send(res, page(ctx, { title: plain(ctx, c.title), body }));
  });
}
