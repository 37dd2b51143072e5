import type { Response as ExpressResponse, Request, Router } from 'express';
import { AGE_BANDS, isAppError, SEXES, type Consultation } from '../../../content/index.js';
import type { ConsultationResults } from '../../submissions/index.js';
import { bar, contentIcon, heading, icon, notice, play, plain, slugOf, text, voice } from '../components.js';
import { fieldError, formNotice, checkForm, rateLimited, typed, type FormProblem } from '../form-errors.js';
import type { PageContext } from '../context.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { pageOf, pager } from '../pager.js';
import type { Portal } from '../portal.js';
import { cookies, deviceId } from '../request.js';
import { submissionState } from '../status.js';
import { consultationLink } from './bits.js';
import { consultationsByState, isOpen, resultsVisible } from './queries.js';

const pct = (n: number, total: number) => (total > 0 ? (n / total) * 100 : 0);

export function resultsBlock(ctx: PageContext, c: Consultation, r: ConsultationResults): Html {
  const rows = c.options.map((o) => ({ o, n: r.options[o.id]?.total ?? 0 }));
  const bySex = { F: 0, M: 0, unknown: 0 };
  const byAge: Record<string, number> = {};
  for (const slot of Object.values(r.options)) {
    for (const s of ['F', 'M', 'unknown'] as const) bySex[s] += slot.bySex[s];
    for (const [band, n] of Object.entries(slot.byAge)) byAge[band] = (byAge[band] ?? 0) + n;
  }
  const told = bySex.F + bySex.M > 0;
  const optionRows = (pick: (id: string) => number, total: number) =>
    html`<dl class="bars">${c.options.map((o) => {
      const n = pick(o.id);
      return html`<div class="barrow"><dt>${contentIcon(ctx, o.icon, 'dot', 'i sm')}${text(ctx, o.label)}</dt><dd>${bar(pct(n, total))}<b>${ctx.t('participate.percent', { percent: ctx.fmt.number(pct(n, total)) })}</b> <small>(${ctx.t('participate.votes', { count: n })})</small></dd></div>`;
    })}</dl>`;
  return html`<section class="results" id="resultats">${heading(ctx, 'participate.results', 'chart', 2)}
<p class="big">${ctx.t('participate.votes', { count: r.total })}</p>
${optionRows((id) => rows.find((x) => x.o.id === id)?.n ?? 0, r.total)}
${
  told
    ? html`<h3>${ctx.t('participate.bySex')}</h3>${(['F', 'M'] as const).map((s) => {
        const total = c.options.reduce((sum, o) => sum + (r.options[o.id]?.bySex[s] ?? 0), 0);
        return total
          ? html`<h4>${icon(ctx, s === 'F' ? 'woman' : 'man', 'i sm')}${ctx.t(`sexes.${s}`)} — ${ctx.t('participate.votes', { count: total })}</h4>${optionRows((id) => r.options[id]?.bySex[s] ?? 0, total)}`
          : '';
      })}`
    : ''
}
${
  Object.keys(byAge).some((b) => b !== 'unknown')
    ? html`<h3>${ctx.t('participate.byAge')}</h3><dl class="bars">${AGE_BANDS.filter((b) => byAge[b]).map(
        (b) =>
          html`<div class="barrow"><dt>${ctx.t(`age.${b}`)}</dt><dd>${bar(pct(byAge[b]!, r.total))}<b>${ctx.t('participate.votes', { count: byAge[b]! })}</b></dd></div>`
      )}</dl>`
    : ''
}
</section>`;
}

function stateNotice(ctx: PageContext, id: string, state: string): Html {
  const confirmed = state === 'confirmed-central';
  return html`<div class="votestate" data-status="${id}" data-confirmed="${ctx.t('participate.confirmed')}">${notice(ctx, 'ok', html`<p>${icon(ctx, 'check', 'i sm')} <span data-here>${ctx.t('participate.countedHere')}</span></p><p data-central${confirmed ? '' : html` hidden`}>${icon(ctx, 'check', 'i sm')} ${ctx.t('participate.confirmed')}</p>`, 'statut')}</div>`;
}

/**
 * The vote: the options, then the two optional questions (sex, age) in plain view so results
 * can be disaggregated — each can be left at "I prefer not to say".
 */
function voteForm(ctx: PageContext, c: Consultation, problem?: FormProblem, v: Record<string, string> = {}): Html {
  const radios = (name: string, values: readonly string[], label: (v: string) => string) =>
    html`<div class="radios">${values.map((x) => html`<label class="pill"><input type="radio" name="${name}" value="${x}"${v[name] === x ? html` checked` : ''}><span>${label(x)}</span></label>`)}<label class="pill"><input type="radio" name="${name}" value=""${v[name] ? '' : html` checked`}><span>${ctx.t('participate.noAnswer')}</span></label></div>`;
  return html`${formNotice(ctx, problem)}<form method="post" class="vote stack" novalidate>
<fieldset id="option"${problem?.fields.option ? html` aria-describedby="err-option"` : ''}><legend>${ctx.t('participate.choose')}</legend>
<div class="options">${c.options.map(
    (o) =>
      html`<div class="option"><label><input type="radio" name="option" value="${o.id}"${v.option === o.id ? html` checked` : ''}>${contentIcon(ctx, o.icon, 'dot')}<span>${text(ctx, o.label)}</span></label>${play(ctx, o.audio, plain(ctx, o.label))}</div>`
  )}</div>${fieldError(ctx, problem, 'option')}</fieldset>
<div class="about"><p class="optional">${icon(ctx, 'info', 'i sm')}${ctx.t('participate.about', { optional: ctx.t('common.optional') })}</p>
<fieldset id="sex"><legend>${ctx.t('participate.sex')}</legend>${radios('sex', SEXES, (s) => ctx.t(`sex.${s}`))}${fieldError(ctx, problem, 'sex')}</fieldset>
<fieldset id="ageBand"><legend>${ctx.t('participate.age')}</legend>${radios(
    'ageBand',
    AGE_BANDS.filter((b) => b !== '0-14'),
    (b) => ctx.t(`age.${b}`)
  )}${fieldError(ctx, problem, 'ageBand')}</fieldset>
</div>
<button class="btn big" type="submit">${icon(ctx, 'participate')}<span>${ctx.t('participate.vote')}</span></button>
</form>`;
}

const VOTE_KEYS: Record<string, string> = { option: 'form.option', sex: 'form.sex', ageBand: 'form.ageBand' };

export function participateRoutes(router: Router, portal: Portal): void {
  const { catalog, config } = portal.deps;

  router.get('/participer', async function consultations(req, res) {
    const ctx = portal.ctx(req);
    const now = Date.now();
    const byState = await consultationsByState(portal, now);
    // One list paged: the open ones, then the closed ones.
    const both = [...byState.open, ...byState.closed];
    const slice = pageOf(req.query, both.length);
    const shown = await portal.digest.docs(
      'consultation',
      both.slice(slice.start, slice.end).map((c) => c.id)
    );
    const open = shown.filter((c) => isOpen(c, now));
    const closed = shown.filter((c) => now >= Date.parse(c.closesAt));
    const body = html`${heading(ctx, 'nav.participate', 'participate')}
<p class="lead">${ctx.t('participate.intro')}</p>
<p class="links"><a class="btn" href="/propositions">${icon(ctx, 'pen')}<span>${ctx.t('proposals.title')}</span></a> <a class="btn secondary" href="/plans">${icon(ctx, 'chart')}<span>${ctx.t('plans.title')}</span></a> <a class="btn secondary" href="/appels">${icon(ctx, 'money')}<span>${ctx.t('grants.title')}</span></a></p>
${
  open.length || byState.open.length === 0
    ? html`<section>${heading(ctx, 'participate.open', 'participate', 2)}
${open.length ? html`<ul class="list">${open.map((c) => consultationLink(ctx, c))}</ul>` : html`<p>${ctx.t('participate.none')}</p>`}</section>`
    : ''
}
${closed.length ? html`<section><h2>${icon(ctx, 'chart', 'i md')}${ctx.t('participate.closed')}</h2><ul class="list">${closed.map((c) => html`<li class="card consult"><a class="rowlink" href="/participer/${slugOf(c._id)}">${icon(ctx, 'chart', 'i md')}<span class="grow"><b>${text(ctx, c.question)}</b><small>${ctx.t('participate.closedOn', { date: ctx.fmt.date(c.closesAt) })}</small></span>${icon(ctx, 'chevron', 'i sm')}</a></li>`)}</ul></section>` : ''}
${pager(ctx, '/participer', slice)}`;
    portal.send(res, page(ctx, { title: ctx.t('participate.title'), body }));
  });

  async function consultationPage(
    req: Request,
    _res: ExpressResponse,
    slug: string,
    form?: { problem: FormProblem; values: Record<string, string> }
  ): Promise<Html> {
    const ctx = portal.ctx(req);
    const c = await catalog.get(`consultation:${slug}`);
    const now = Date.now();
    const voteId = cookies(req)[`vote-${slugOf(c._id)}`];
    const state = voteId && /^[a-z0-9:-]{10,100}$/.test(voteId) ? await submissionState(portal.deps, voteId) : null;
    const open = isOpen(c, now);
    const results = resultsVisible(c, now) ? await portal.deps.submissions.results(c, config.hubId) : null;
    const body = html`<p><a class="back" href="/participer">${icon(ctx, 'back', 'i sm')}${ctx.t('nav.participate')}</a></p>
<article class="consultation">
<div class="heading"><h1>${icon(ctx, 'participate', 'i hi')}<span>${text(ctx, c.question)}</span></h1>${play(ctx, c.questionAudio, plain(ctx, c.question))}</div>
${c.description ? html`<p class="lead">${text(ctx, c.description)}</p>` : ''}
<p class="meta">${open ? ctx.t('participate.until', { date: ctx.fmt.date(c.closesAt) }) : now < Date.parse(c.opensAt) ? ctx.t('participate.notOpen') : ctx.t('participate.closedOn', { date: ctx.fmt.date(c.closesAt) })}</p>
${req.query.deja === '1' ? notice(ctx, 'info', html`${ctx.t('participate.already')}${voice(ctx, 'participate.already')}`, 'deja') : ''}
${req.query.ferme === '1' ? notice(ctx, 'warn', html`${ctx.t('participate.isClosed')}${voice(ctx, 'participate.isClosed')}`) : ''}
${state && voteId ? stateNotice(ctx, voteId, state) : open && req.query.deja !== '1' ? voteForm(ctx, c, form?.problem, form?.values) : ''}
${results ? resultsBlock(ctx, c, results) : html`<p>${icon(ctx, 'info', 'i sm')} ${ctx.t('participate.resultsLater')}</p>`}
</article>`;
    return page(ctx, { title: plain(ctx, c.question), body });
  }

  router.get('/participer/:slug', async function consultation(req, res) {
    portal.send(res, await consultationPage(req, res, req.params.slug));
  });

  router.post('/participer/:slug', async function vote(req, res) {
    const ctx = portal.ctx(req);
    const slug = req.params.slug;
    const values = typed(req.body, ['option', 'sex', 'ageBand']);
    const refuse = async (problem: FormProblem, status: number) => {
      res.set('Cache-Control', 'no-store');
      portal.send(res, await consultationPage(req, res, slug, { problem, values }), status);
    };
    if (rateLimited(req)) return refuse({ fields: {}, form: 'error.tooMany' }, 429);
    const input: Record<string, unknown> = {
      consultation: `consultation:${slug}`,
      option: values.option || undefined,
      deviceId: deviceId(req, res),
      lang: ctx.lang,
      channel: ctx.kiosk ? 'kiosk' : 'web',
    };
    if (values.sex) input.sex = values.sex;
    if (values.ageBand) input.ageBand = values.ageBand;
    const checked = checkForm('response', input, VOTE_KEYS);
    if ('problem' in checked) return refuse(checked.problem, 422);
    try {
      const { id } = await portal.deps.submissions.submit(checked.submission, { hubId: config.hubId });
      res.cookie(`vote-${slug}`, id, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', path: '/' });
      return void res.redirect(303, `/participer/${slug}#statut`);
    } catch (e) {
      if (isAppError(e) && e.reason === 'already-voted') return void res.redirect(303, `/participer/${slug}?deja=1#deja`);
      if (isAppError(e) && (e.reason === 'consultation-closed' || e.reason === 'consultation-not-open'))
        return void res.redirect(303, `/participer/${slug}?ferme=1`);
      // An option this consultation does not have (an old page, a hand-made form).
      if (isAppError(e) && e.status === 422) return refuse({ fields: { option: 'form.option' } }, 422);
      throw e;
    }
  });
}
